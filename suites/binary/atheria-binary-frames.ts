// A6: binary simulation frames. After simulation.set_binary {enabled:true, format} (answered by a
// notification success; an error answer means no binary support → UNIMPLEMENTED), every frame is
// a text header {"type":"simulation_frame_binary","format":..,"size":N} followed, as the very next
// message, by one binary message of exactly N bytes that decodes to a valid simulation_frame
// payload. The public code's legacy header {type: simulation_frame, is_binary: true} (no size) is
// NON-STRICT. A server that does not answer set_binary (A4 silence) has the binary frames it sends
// judged all the same; without any in the requested format the case is UNIMPLEMENTED.
import { defineCase } from '../../src/engine/define-case.js';
import type { FaultName } from '../../src/schema/faults.js';
import type { CaseContext, CaseDefinition } from '../../src/engine/types.js';
import type { BinaryFormat } from '../../src/protocols/atheria-binary.js';
import { binaryHeaderOf } from '../../src/protocols/atheria-binary.js';
import {
  binaryViolations,
  enableBinary,
  isPayloadViolation,
  pairStart,
} from '../../src/protocols/atheria-binary-session.js';
import { framesIn } from '../../src/protocols/atheria-frames.js';
import { withSimulation } from '../../src/protocols/atheria-state.js';
import { idle } from '../../src/protocols/atheria-wait.js';
import { formatViolation } from '../../src/schema/index.js';

const WATCH_MS = 1000;

function pairingCase(num: number, format: BinaryFormat, title: string, faults: FaultName[]): CaseDefinition {
  return defineCase({
    protocol: 'atheria',
    num,
    suite: 'binary',
    rule: 'A6,C5',
    title,
    faults,
    shares: 'atheria-sim',
    async run(ctx: CaseContext) {
      await withSimulation(
        ctx,
        { running: true, liveFeed: true },
        async (s) => {
          const { answered, from } = await enableBinary(ctx, s, format);
          await idle(s.conn, WATCH_MS);
          // the first frames after the request may still be JSON (already queued); judge what follows
          const after = s.conn.received.slice(pairStart(s.conn.received, from));
          // A6: the pairing, the size and the decoding; what the decoded payload holds is the frame
          // schema's (C5), the same check a JSON frame gets
          const found = binaryViolations(after);
          const transport = found.find((v) => !isPayloadViolation(v));
          ctx.require(!transport, `binary frames: ${transport ? formatViolation(transport) : ''}`, 'A6');
          const payload = found.find(isPayloadViolation);
          ctx.require(!payload, `binary frames: ${payload ? formatViolation(payload) : ''}`, 'C5');
          const frames = framesIn(after).filter((f) => f.binary);
          if (!answered && frames.length === 0) {
            ctx.unimplemented(
              `set_binary ${format} got no answer and no binary frame came within ${WATCH_MS} ms`,
            );
          }
          ctx.require(
            frames.length > 0,
            `no binary frame (header + payload) within ${WATCH_MS} ms of set_binary ${format} success`,
          );
          const wrong = frames.find((f) => f.format !== format);
          if (wrong && !answered) {
            ctx.unimplemented(
              `set_binary ${format} got no answer and the server's binary frames are ${JSON.stringify(wrong.format)} (well-formed): no ${format} frames to judge`,
            );
          }
          ctx.require(
            !wrong,
            `set_binary asked for ${format} but a header announced ${JSON.stringify(wrong?.format)}`,
          );
        },
        { shared: true },
      );
    },
  });
}

export default [
  pairingCase(
    1,
    'msgpack',
    'after set_binary msgpack, frames are a header then exactly one binary payload of the announced size that decodes to a valid frame',
    ['ath-binary-size-mismatch', 'ath-binary-interleave', 'ath-binary-bad-payload'],
  ),
  defineCase({
    protocol: 'atheria',
    num: 2,
    suite: 'binary',
    rule: 'A6',
    title:
      'binary frame headers are {type: simulation_frame_binary, format, size}, not the legacy is_binary header',
    faults: ['ath-binary-legacy-header'],
    shares: 'atheria-sim',
    async run(ctx: CaseContext) {
      await withSimulation(
        ctx,
        { running: true, liveFeed: true },
        async (s) => {
          const { answered, from } = await enableBinary(ctx, s, 'msgpack');
          await idle(s.conn, WATCH_MS);
          const headers = s.conn.received.slice(from).flatMap((m) => binaryHeaderOf(m) ?? []);
          if (!answered && headers.length === 0) {
            ctx.unimplemented(
              `set_binary msgpack got no answer and no binary frame came within ${WATCH_MS} ms`,
            );
          }
          ctx.require(
            headers.length > 0,
            `no binary frame header within ${WATCH_MS} ms of set_binary msgpack success`,
          );
          const legacy = headers.filter((h) => h.legacy).length;
          ctx.should(
            legacy === 0,
            `${legacy} of ${headers.length} binary frames use the legacy header {type: simulation_frame, is_binary: true} without size`,
          );
        },
        { shared: true },
      );
    },
  }),
  pairingCase(
    3,
    'cbor',
    'after set_binary cbor (when supported), frames are a header then one binary payload of the announced size that decodes as CBOR',
    ['ath-binary-size-mismatch', 'ath-binary-bad-payload'],
  ),
];
