// Limits and performance (Autobahn 9.x; RFC 6455 §5.2, §10.4): big messages echoed whole up to the
// target's --max-message-size, and round-trip throughput and latency at a few sizes, reported as
// informational (a measurement, no rule). Echo targets only; sizes over --max-message-size are
// unimplemented (the size limit itself is checked by ATH/EVO-FRAMING-110, 1009).
import type { CaseContext } from '../../src/engine/types.js';
import { closeNormally, expectEcho } from './_expect.js';
import { type Row, tableCases } from './_table.js';
import { describeReply, OPCODE, type Wire } from './_wire.js';
import { chunked } from './table-fragments.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SIZES = [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB];
const SMALL = [0, 16, 64, 256, 1024, 4096];

const label = (n: number) => (n >= MiB ? `${n / MiB} MiB` : n >= KiB ? `${n / KiB} KiB` : `${n} bytes`);
const rate = (bytes: number, ms: number) => `${((bytes / MiB / Math.max(ms, 1)) * 1000).toFixed(1)} MiB/s`;

/**
 * The echo of a big message, or a close with 1008 / 1009: a limit of the target's own (RFC 6455
 * §10.4; `ws` documents maxFragments, 16384 fragments, answered by 1008), noted, not a failure.
 * Returns false when the target refused the message.
 */
async function echoOrLimit(w: Wire, opcode: number, payload: Buffer, what: string): Promise<boolean> {
  const ctx: CaseContext = w.ctx;
  const r = await w.nextExcept(['pong'], 50_000);
  if (r.kind === 'close' && (r.code === 1008 || r.code === 1009)) {
    ctx.inform(`${what} was refused with close ${r.code}: a limit of the target's own (RFC 6455 §10.4)`);
    return false;
  }
  if (r.kind !== 'message') ctx.fail(`${what} was answered by ${describeReply(r)} instead of its echo`);
  ctx.require(
    r.opcode === opcode && r.payload.equals(payload),
    `${what} came back changed (${describeReply(r)})`,
  );
  return true;
}

function overLimit(ctx: CaseContext, n: number): void {
  const limit = ctx.config.limits.maxMessageBytes;
  if (n > limit) ctx.unimplemented(`${n} bytes is over the target's --max-message-size (${limit} bytes)`);
}

/** Autobahn 9.1 / 9.2: one big message, echoed; the round trip is noted. */
function big(group: 1 | 2, i: number, n: number): Row {
  const opcode = group === 1 ? OPCODE.text : OPCODE.binary;
  const kind = group === 1 ? 'text' : 'binary';
  return {
    key: `9.${group}.${i + 1}`,
    rfc: '5.2',
    title: `a ${kind} message of ${label(n)} is echoed whole; its round trip is reported (informational)`,
    echo: true,
    faults: [],
    timeoutMs: 60_000,
    async run(t) {
      overLimit(t.ctx, n);
      await t.wire(async (w) => {
        const payload = Buffer.alloc(n, group === 1 ? 0x2a : 0xfe);
        const t0 = performance.now();
        w.send({ opcode, payload });
        if (!(await echoOrLimit(w, opcode, payload, `a ${kind} message of ${label(n)}`))) return;
        const ms = performance.now() - t0;
        t.ctx.inform(`round trip of ${label(n)}: ${ms.toFixed(0)} ms (${rate(2 * n, ms)} both ways)`);
        closeNormally(w);
      });
    },
  };
}

/** Autobahn 9.3 / 9.4: a 4 MiB message in fragments of a given size. */
function fragmented(group: 3 | 4, i: number, fragment: number): Row {
  const opcode = group === 3 ? OPCODE.text : OPCODE.binary;
  const kind = group === 3 ? 'text' : 'binary';
  const n = 4 * MiB;
  return {
    key: `9.${group}.${i + 1}`,
    rfc: '5.4',
    title: `a ${kind} message of 4 MiB in fragments of ${label(fragment)} is echoed whole; its round trip is reported (informational)`,
    echo: true,
    faults: [],
    timeoutMs: 60_000,
    async run(t) {
      overLimit(t.ctx, n);
      await t.wire(async (w) => {
        const payload = Buffer.alloc(n, group === 3 ? 0x2a : 0xfe);
        const t0 = performance.now();
        w.sendAll(chunked(opcode, payload, fragment));
        const what = `a ${kind} message of 4 MiB in fragments of ${label(fragment)}`;
        if (!(await echoOrLimit(w, opcode, payload, what))) return;
        const ms = performance.now() - t0;
        t.ctx.inform(`round trip of 4 MiB in ${Math.ceil(n / fragment)} fragments: ${ms.toFixed(0)} ms`);
        closeNormally(w);
      });
    },
  };
}

/** Autobahn 9.7 / 9.8: 1000 messages one after the other, each sent once the last came back. */
function roundTrips(group: 7 | 8, i: number, n: number): Row {
  const opcode = group === 7 ? OPCODE.text : OPCODE.binary;
  const kind = group === 7 ? 'text' : 'binary';
  return {
    key: `9.${group}.${i + 1}`,
    rfc: '5.6',
    title: `1000 ${kind} messages of ${label(n)}, one at a time, are each echoed; the latency is reported (informational)`,
    echo: true,
    faults: [],
    timeoutMs: 60_000,
    async run(t) {
      await t.wire(async (w) => {
        const payload = Buffer.alloc(n, group === 7 ? 0x2a : 0xfe);
        const t0 = performance.now();
        for (let k = 0; k < 1000; k++) {
          w.send({ opcode, payload });
          await expectEcho(w, opcode, payload, `message ${k + 1} of 1000 (${label(n)})`);
        }
        const ms = performance.now() - t0;
        t.ctx.inform(
          `1000 round trips of ${label(n)}: ${ms.toFixed(0)} ms (${(ms / 1000).toFixed(3)} ms each)`,
        );
        closeNormally(w);
      });
    },
  };
}

const FRAGMENTS = [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB];

export default tableCases([
  ...SIZES.map((n, i) => big(1, i, n)),
  ...SIZES.map((n, i) => big(2, i, n)),
  ...FRAGMENTS.map((f, i) => fragmented(3, i, f)),
  ...FRAGMENTS.map((f, i) => fragmented(4, i, f)),
  ...SMALL.map((n, i) => roundTrips(7, i, n)),
  ...SMALL.map((n, i) => roundTrips(8, i, n)),
]);
