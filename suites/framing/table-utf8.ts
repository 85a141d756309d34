// UTF-8 in text messages (RFC 6455 §8.1, §5.6; Autobahn 6.5–6.23): each sequence of the Kuhn test
// file sent whole (the Autobahn case), split in two fragments at every byte boundary, as fragments
// of one byte, and written one byte per TCP write. Valid sequences are echoed (echo targets only);
// invalid ones fail the connection with 1007 on every endpoint, at the bad byte or at the message
// end (both pass here; the fail-fast rows are table-utf8-fragments.ts).
import { expectEcho, expectFailClose } from './_expect.js';
import { type Row, tableCases } from './_table.js';
import { type Frame, OPCODE, type Wire } from './_wire.js';
import { UTF8_GROUPS, type Utf8Sequence } from './rows/utf8-sequences.js';

type Mode = 'whole' | 'split' | 'frag1' | 'tcp1';

/** The frames of one text message: whole, or cut at the given byte offsets into fragments. */
export function fragments(bytes: Buffer, cuts: readonly number[]): Frame[] {
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(0, -1).map((start, i) => ({
    opcode: i === 0 ? OPCODE.text : OPCODE.continuation,
    fin: i === edges.length - 2,
    payload: bytes.subarray(start, edges[i + 1]),
  }));
}

const every = (n: number): number[] => Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1);

const MODE_TITLE: Record<Mode, string> = {
  whole: 'in one frame',
  split: 'split in two fragments at every byte boundary',
  frag1: 'in fragments of one byte',
  tcp1: 'in one frame written one byte per TCP write',
};

async function sendMessage(w: Wire, bytes: Buffer, mode: Exclude<Mode, 'split'>): Promise<void> {
  if (mode === 'whole') w.send({ opcode: OPCODE.text, payload: bytes });
  else if (mode === 'frag1') w.send(...fragments(bytes, every(bytes.length)));
  else await w.sendChopped([{ opcode: OPCODE.text, payload: bytes }], 1);
}

function row(key: string, seq: Utf8Sequence, mode: Mode, what: string): Row {
  const bytes = Buffer.from(seq.hex, 'hex');
  const shown = seq.hex.length > 24 ? `${seq.hex.slice(0, 24)}… (${bytes.length} bytes)` : seq.hex;
  const msg = `a text message ${shown} (${what}) ${MODE_TITLE[mode]}`;
  const splits = every(bytes.length).length;
  if (seq.valid) {
    return {
      key,
      rfc: '5.6',
      title: `${what}: valid UTF-8 ${shown} ${MODE_TITLE[mode]} is echoed`,
      echo: true,
      faults: [],
      async run(t) {
        await t.wire(async (w) => {
          if (mode !== 'split') {
            await sendMessage(w, bytes, mode);
            await expectEcho(w, OPCODE.text, bytes, msg);
            return;
          }
          for (const cut of every(bytes.length)) {
            w.send(...fragments(bytes, [cut]));
            await expectEcho(w, OPCODE.text, bytes, `a text message ${shown} split after byte ${cut}`);
          }
        });
      },
    };
  }
  return {
    key,
    rfc: '8.1',
    title: `${what}: invalid UTF-8 ${shown} ${MODE_TITLE[mode]} fails the connection with 1007`,
    faults: ['utf8-not-checked'],
    // split: a connection per boundary (the first invalid split ends its connection)
    ...(mode === 'split' && splits > 8 && { timeoutMs: 10_000 + splits * 500 }),
    async run(t) {
      if (mode !== 'split') {
        await t.wire(async (w) => {
          await sendMessage(w, bytes, mode);
          await expectFailClose(w, [1007], msg);
        });
        return;
      }
      for (const cut of every(bytes.length)) {
        await t.wire(async (w) => {
          w.send(...fragments(bytes, [cut]));
          await expectFailClose(w, [1007], `a text message ${shown} split after byte ${cut}`);
        });
      }
    },
  };
}

const rows: Row[] = UTF8_GROUPS.flatMap((g) =>
  g.sequences.flatMap((seq, j) => {
    const key = `6.${g.n}.${j + 1}`;
    const what = `${g.kuhn ? `Kuhn §${g.kuhn} ` : ''}${g.name}`;
    const out = [row(key, seq, 'whole', what)];
    // splitting a 1-byte sequence is sending it whole: the variants need 2 bytes or more
    if (seq.hex.length >= 4)
      out.push(row(`${key}-split`, seq, 'split', what), row(`${key}-frag1`, seq, 'frag1', what));
    out.push(row(`${key}-tcp1`, seq, 'tcp1', what));
    return out;
  }),
);

export default tableCases(rows);
