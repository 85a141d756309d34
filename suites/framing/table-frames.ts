// Base framing (RFC 6455 §5.2; Autobahn 1.x, 3.x, 4.x): payload lengths at every length-encoding
// boundary echoed (echo targets), messages up to the target's --max-message-size, and reserved
// bits and opcodes, which fail the connection with 1002 on every endpoint.
import { closeNormally, expectEcho, expectFailClose } from './_expect.js';
import { type Row, tableCases } from './_table.js';
import { type Frame, OPCODE } from './_wire.js';

const MiB = 1024 * 1024;

/** Autobahn 1.1.x (text) and 1.2.x (binary): the 7-bit, 16-bit and 64-bit length encodings. */
const LENGTHS = [0, 125, 126, 127, 128, 65535, 65536] as const;

function payloadOf(opcode: number, n: number): Buffer {
  return opcode === OPCODE.text
    ? Buffer.alloc(n, 0x2a)
    : Buffer.from(Array.from({ length: n }, (_, i) => i & 0xff));
}

function lengthRows(group: 1 | 2, opcode: number, kind: string): Row[] {
  const rows: Row[] = LENGTHS.map((n, i) => ({
    key: `1.${group}.${i + 1}`,
    rfc: '5.2',
    title: `a ${kind} message of ${n} bytes is echoed`,
    echo: true,
    faults: [],
    async run(t) {
      await t.wire(async (w) => {
        const payload = payloadOf(opcode, n);
        w.send({ opcode, payload });
        await expectEcho(w, opcode, payload, `a ${kind} message of ${n} bytes`);
        closeNormally(w);
      });
    },
  }));
  rows.push({
    key: `1.${group}.8`,
    rfc: '5.2',
    title: `a ${kind} message of 65536 bytes written in TCP chops of 997 bytes is echoed`,
    echo: true,
    faults: [],
    async run(t) {
      await t.wire(async (w) => {
        const payload = payloadOf(opcode, 65536);
        await w.sendChopped([{ opcode, payload }], 997);
        await expectEcho(w, opcode, payload, `a ${kind} message of 65536 bytes in chops of 997`);
        closeNormally(w);
      });
    },
  });
  // up to the target's limit: 1, 2 and 4 MiB, and exactly --max-message-size (capped at 16 MiB)
  const sizes: { size: (limit: number) => number; label: string }[] = [
    { size: () => MiB, label: '1 MiB' },
    { size: () => 2 * MiB, label: '2 MiB' },
    { size: () => 4 * MiB, label: '4 MiB' },
    { size: (limit) => Math.min(limit, 16 * MiB), label: 'exactly --max-message-size (at most 16 MiB)' },
  ];
  sizes.forEach(({ size, label }, i) => {
    rows.push({
      key: `x1.${group}.${i + 1}`,
      rfc: '5.2',
      title: `a ${kind} message of ${label} is echoed (up to the target's --max-message-size)`,
      echo: true,
      faults: [],
      timeoutMs: 30_000,
      async run(t) {
        const limit = t.ctx.config.limits.maxMessageBytes;
        const n = size(limit);
        if (n > limit)
          t.ctx.unimplemented(`${n} bytes is over the target's --max-message-size (${limit} bytes)`);
        await t.wire(async (w) => {
          const payload = payloadOf(opcode, n);
          w.send({ opcode, payload });
          await expectEcho(w, opcode, payload, `a ${kind} message of ${n} bytes`, 20_000);
          closeNormally(w);
        });
      },
    });
  });
  return rows;
}

/** §5.2: "RSV1, RSV2, RSV3 … MUST be 0 unless an extension is negotiated" (none is offered). */
const RSV_ROWS: { key: string; rsv: number; frame: Frame; what: string; chop?: boolean }[] = [
  { key: '3.1', rsv: 1, frame: { opcode: OPCODE.text, payload: 'Hello, world!' }, what: 'a text frame' },
  { key: '3.2', rsv: 2, frame: { opcode: OPCODE.text, payload: 'Hello, world!' }, what: 'a text frame' },
  { key: '3.3', rsv: 3, frame: { opcode: OPCODE.text, payload: 'Hello, world!' }, what: 'a text frame' },
  {
    key: '3.4',
    rsv: 4,
    frame: { opcode: OPCODE.text, payload: 'Hello, world!' },
    what: 'a text frame',
    chop: true,
  },
  {
    key: '3.5',
    rsv: 5,
    frame: { opcode: OPCODE.binary, payload: Buffer.from([0, 1, 2, 255]) },
    what: 'a binary frame',
  },
  { key: '3.6', rsv: 6, frame: { opcode: OPCODE.ping, payload: 'Hello, world!' }, what: 'a ping' },
  {
    key: '3.7',
    rsv: 7,
    frame: { opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) },
    what: 'a close frame',
  },
];

const rsvRows: Row[] = RSV_ROWS.map(({ key, rsv, frame, what, chop }) => ({
  key,
  rfc: '5.2',
  title: `${what} with RSV=${rsv} and no extension negotiated${chop ? ', written one byte per TCP write,' : ''} fails the connection with 1002`,
  faults: ['protocol-error-wrong-code'],
  async run(t) {
    await t.wire(async (w) => {
      const bad = { ...frame, rsv };
      if (chop) await w.sendChopped([bad], 1);
      else w.send(bad);
      await expectFailClose(w, [1002], `${what} with RSV=${rsv}`);
    });
  },
}));

/** §5.2: opcodes 0x3–0x7 (data) and 0xB–0xF (control) are reserved; §10.7: fail the connection. */
const opcodeRows: Row[] = [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf].map((opcode, i) => {
  const n = (i % 5) + 1;
  const chop = n === 5;
  return {
    key: `4.${i < 5 ? 1 : 2}.${n}`,
    rfc: '5.2',
    title: `a frame with the reserved ${i < 5 ? 'data' : 'control'} opcode 0x${opcode.toString(16)}${chop ? ', written one byte per TCP write,' : ''} fails the connection with 1002`,
    faults: ['protocol-error-wrong-code'],
    async run(t) {
      await t.wire(async (w) => {
        const frame = { opcode, payload: n % 2 === 0 ? 'reserved opcode' : '' };
        if (chop) await w.sendChopped([frame], 1);
        else w.send(frame);
        await expectFailClose(w, [1002], `a frame with opcode 0x${opcode.toString(16)}`);
      });
    },
  };
});

/**
 * §5.2: "the most significant bit MUST be 0" in a 64-bit length. A header announcing 2^63 bytes
 * is a protocol error (1002) or a message too big (1009): both pass. Generic only: the reference
 * server (ws) always answers 1009 here, so no fault of its catalog can make the row fail there.
 */
const hugeLength: Row = {
  key: 'x1.3.1',
  rfc: '5.2',
  title: 'a frame header whose 64-bit length has its top bit set fails the connection with 1002 or 1009',
  protocols: ['generic'],
  faults: [],
  async run(t) {
    await t.wire(async (w) => {
      w.send({ opcode: OPCODE.binary, payload: Buffer.alloc(16), lengthOverride: 2n ** 63n });
      await expectFailClose(w, [1002, 1009], 'a frame announcing 2^63 bytes');
    });
  },
};

export default tableCases([
  ...lengthRows(1, OPCODE.text, 'text'),
  ...lengthRows(2, OPCODE.binary, 'binary'),
  ...rsvRows,
  ...opcodeRows,
  hugeLength,
]);
