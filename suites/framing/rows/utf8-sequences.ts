// The UTF-8 test sequences of Markus Kuhn's UTF-8-test.txt, in the groups and order of Autobahn's
// cases 6.5–6.23 (group i is Autobahn 6.i, sequence j of it 6.i.j): valid ones are echoed, invalid
// ones fail the connection with 1007 (RFC 6455 §8.1). Sequences are hex; `valid` is what RFC 3629
// says (noncharacters are valid UTF-8), checked against a strict decoder in the tests.

export interface Utf8Sequence {
  valid: boolean;
  hex: string;
}

export interface Utf8Group {
  /** Autobahn 6.<n> */
  n: number;
  /** the section of the Kuhn file, when the group is one */
  kuhn?: string;
  name: string;
  sequences: Utf8Sequence[];
}

const ok = (hex: string): Utf8Sequence => ({ valid: true, hex });
const bad = (hex: string): Utf8Sequence => ({ valid: false, hex });
const hex = (s: string): string => Buffer.from(s, 'utf8').toString('hex');

/** "κόσμε", Kuhn §1 */
export const KOSME = 'cebae1bdb9cf83cebcceb5';

/** Every prefix of κόσμε: valid when it ends on a code point boundary. */
function prefixes(): Utf8Sequence[] {
  const bytes = Buffer.from(KOSME, 'hex');
  const ends = new Set([2, 5, 7, 9, 11]);
  return Array.from({ length: bytes.length }, (_, i) => ({
    valid: ends.has(i + 1),
    hex: bytes.subarray(0, i + 1).toString('hex'),
  }));
}

/** Kuhn §3.1.9: every continuation byte 0x80–0xbe (Autobahn's range) */
const continuations = Array.from({ length: 0xbf - 0x80 }, (_, i) => (0x80 + i).toString(16)).join('');

/** Kuhn §3.2: each start byte of a range followed by a space */
const lonely = (from: number, to: number): string =>
  Array.from({ length: to - from }, (_, i) => `${(from + i).toString(16)}20`).join('');

const missingLast = [
  'c0',
  'e080',
  'f08080',
  'f8808080',
  'fc80808080',
  'df',
  'efbf',
  'f7bfbf',
  'fbbfbfbf',
  'fdbfbfbfbf',
];

/** Kuhn §5.3: noncharacters U+FFFE, U+FFFF and U+nFFFE, U+nFFFF of each plane (valid UTF-8) */
function noncharacters(): Utf8Sequence[] {
  const out = [ok('efbfbe'), ok('efbfbf')];
  for (const z1 of ['f0', 'f1', 'f2', 'f3', 'f4'])
    for (const z2 of ['8f', '9f', 'af', 'bf']) {
      if (z1 === 'f4' && z2 !== '8f') continue; // beyond U+10FFFF
      for (const z3 of ['be', 'bf']) {
        const s = `${z1}${z2}bf${z3}`;
        if (s !== 'f08fbfbe' && s !== 'f08fbfbf') out.push(ok(s)); // those would be overlong
      }
    }
  return out;
}

export const UTF8_GROUPS: readonly Utf8Group[] = [
  {
    n: 5,
    kuhn: '1',
    name: 'valid UTF-8 text',
    sequences: [
      ok(hex('hello$world')),
      ok(hex('hello\u00a2world')),
      ok(hex('hello\u20acworld')),
      ok(hex('hello\u{24b62}world')),
      ok(KOSME),
    ],
  },
  { n: 6, kuhn: '1', name: 'every prefix of a valid multi-byte string', sequences: prefixes() },
  {
    n: 7,
    kuhn: '2.1',
    name: 'first possible sequence of each length',
    sequences: [ok('00'), ok('c280'), ok('e0a080'), ok('f0908080')],
  },
  {
    n: 8,
    kuhn: '2.1',
    name: 'first sequence of length 5 and 6 (beyond U+10FFFF)',
    sequences: [bad('f888808080'), bad('fc8480808080')],
  },
  {
    n: 9,
    kuhn: '2.2',
    name: 'last possible sequence of each length',
    sequences: [ok('7f'), ok('dfbf'), ok('efbfbf'), ok('f48fbfbf')],
  },
  {
    n: 10,
    kuhn: '2.2',
    name: 'last sequence of length 4, 5 and 6 (beyond U+10FFFF)',
    sequences: [bad('f7bfbfbf'), bad('fbbfbfbfbf'), bad('fdbfbfbfbfbf')],
  },
  {
    n: 11,
    kuhn: '2.3',
    name: 'other boundary conditions',
    sequences: [ok('ed9fbf'), ok('ee8080'), ok('efbfbd'), ok('f48fbfbf'), bad('f4908080')],
  },
  {
    n: 12,
    kuhn: '3.1',
    name: 'unexpected continuation bytes',
    sequences: [
      bad('80'),
      bad('bf'),
      bad('80bf'),
      bad('80bf80'),
      bad('80bf80bf'),
      bad('80bf80bf80'),
      bad('80bf80bf80bf'),
      bad(continuations),
    ],
  },
  {
    n: 13,
    kuhn: '3.2',
    name: 'lonely start bytes',
    sequences: [
      bad(lonely(0xc0, 0xdf)),
      bad(lonely(0xe0, 0xef)),
      bad(lonely(0xf0, 0xf7)),
      bad(lonely(0xf8, 0xfb)),
      bad(lonely(0xfc, 0xfd)),
    ],
  },
  {
    n: 14,
    kuhn: '3.3',
    name: 'sequences with the last continuation byte missing',
    sequences: missingLast.map(bad),
  },
  { n: 15, kuhn: '3.4', name: 'concatenated incomplete sequences', sequences: [bad(missingLast.join(''))] },
  { n: 16, kuhn: '3.5', name: 'impossible bytes', sequences: [bad('fe'), bad('ff'), bad('fefeffff')] },
  {
    n: 17,
    kuhn: '4.1',
    name: 'overlong ASCII character',
    sequences: [bad('c0af'), bad('e080af'), bad('f08080af'), bad('f8808080af'), bad('fc80808080af')],
  },
  {
    n: 18,
    kuhn: '4.2',
    name: 'maximum overlong sequences',
    sequences: [bad('c1bf'), bad('e09fbf'), bad('f08fbfbf'), bad('f887bfbfbf'), bad('fc83bfbfbfbf')],
  },
  {
    n: 19,
    kuhn: '4.3',
    name: 'overlong NUL',
    sequences: [bad('c080'), bad('e08080'), bad('f0808080'), bad('f880808080'), bad('fc8080808080')],
  },
  {
    n: 20,
    kuhn: '5.1',
    name: 'single UTF-16 surrogates',
    sequences: ['eda080', 'edadbf', 'edae80', 'edafbf', 'edb080', 'edbe80', 'edbfbf'].map(bad),
  },
  {
    n: 21,
    kuhn: '5.2',
    name: 'paired UTF-16 surrogates',
    sequences: [
      'eda080edb080',
      'eda080edbfbf',
      'edadbfedb080',
      'edadbfedbfbf',
      'edae80edb080',
      'edae80edbfbf',
      'edafbfedb080',
      'edafbfedbfbf',
    ].map(bad),
  },
  { n: 22, kuhn: '5.3', name: 'noncharacters (valid UTF-8)', sequences: noncharacters() },
  {
    n: 23,
    name: 'Unicode specials (valid UTF-8)',
    sequences: ['efbfb9', 'efbfba', 'efbfbb', 'efbfbc', 'efbfbd', 'efbfbe', 'efbfbf'].map(ok),
  },
];
