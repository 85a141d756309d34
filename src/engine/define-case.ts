// The one way to declare a case. A case names its protocol(s), suite and number; the id
// (ATH-FRAMING-101, EVO-AUTH-017) is derived from them, never written by hand, and a case that
// needs it at run time reads ctx.caseId. A check that reads the same on several protocols (the
// common C rules) is one declaration with `protocols: [...]`, which gives one case per protocol
// under the same number; `run` reads ctx.target.protocol where the protocol matters. A row of a
// generated table is named by its `key` (its Autobahn case number, 6.4.3) instead of a number.
// A case file's default export is what defineCase returns, or a list of those (lists nest).
import type { CaseDefinition, Protocol, SuiteName } from './types.js';

export const ID_PREFIX: Readonly<Record<Protocol, string>> = {
  atheria: 'ATH',
  evolution: 'EVO',
  generic: 'GEN',
};

/**
 * Case numbers: below 100 a case of one protocol; from 100 a check declared for several
 * protocols, so that one number names the same check in each (ATH-FRAMING-101 = EVO-FRAMING-101).
 */
export const CASE_NUMBERS = { one: { min: 1, max: 99 }, several: { min: 100, max: 999 } } as const;

/** The key of a generated table row in a case id: 6.4.3, 6.7.3-split, x7.7.14 */
export const TABLE_KEY = 'x?\\d+(\\.\\d+)+(-[a-z0-9]+)?';
const TABLE_KEY_RE = new RegExp(`^${TABLE_KEY}$`);

/** `ATH-<SUITE>-NNN`, or `GEN-<SUITE>-<key>` for a table row */
export function caseId(protocol: Protocol, suite: SuiteName, num: number | string): string {
  const tail = typeof num === 'number' ? String(num).padStart(3, '0') : num;
  return `${ID_PREFIX[protocol]}-${suite.toUpperCase()}-${tail}`;
}

/** A setting that may differ per protocol (e.g. the shared-state group of `exclusive`). */
export type PerProtocol<T> = T | Partial<Record<Protocol, T>>;

/**
 * What every declaration gives: the case model (./types.ts CaseDefinition) without the derived
 * id and protocol; `faults` are the catalog's FaultName, so a misspelt fault does not compile.
 */
type CaseOptions = Omit<CaseDefinition, 'id' | 'protocol' | 'exclusive' | 'shares'> & {
  exclusive?: PerProtocol<string>;
  shares?: PerProtocol<string>;
} & (
    | {
        /** see CASE_NUMBERS */
        num: number;
        key?: never;
      }
    | {
        /** a generated table row: its Autobahn case number (6.4.3) or x + category for one Autobahn lacks */
        key: string;
        num?: never;
      }
  );

/** A case of one protocol. */
export type OneProtocolCase = CaseOptions & { protocol: Protocol; protocols?: never };

/** One check, one case per protocol listed (same number or key, same run). */
export type SeveralProtocolsCase = CaseOptions & {
  protocols: readonly Protocol[];
  protocol?: never;
};

/** Every case defineCase made, so that a check can tell a declared case from one built by hand. */
const declared = new WeakSet<CaseDefinition>();

/** Whether `c` came from defineCase (the house rule: one way to declare a case). */
export function isDeclared(c: CaseDefinition): boolean {
  return declared.has(c);
}

/** What defineCase returns: a case, or one per protocol listed. */
export type DefinedCases<D> = D extends { protocols: readonly Protocol[] }
  ? CaseDefinition[]
  : CaseDefinition;

// One generic signature rather than overloads: a mistake (a misspelt fault) is then reported at
// the property that holds it, not as "no overload matches" at the call.
export function defineCase<D extends OneProtocolCase | SeveralProtocolsCase>(def: D): DefinedCases<D>;
export function defineCase(def: OneProtocolCase | SeveralProtocolsCase): CaseDefinition | CaseDefinition[] {
  if (def.protocols !== undefined) {
    checkName(def, CASE_NUMBERS.several, 'a case of several protocols');
    if (def.protocols.length === 0 || new Set(def.protocols).size !== def.protocols.length)
      throw new Error(`${def.suite} case ${def.num ?? def.key}: protocols must list each protocol once`);
    return def.protocols.map((p) => variant(def, p));
  }
  checkName(def, CASE_NUMBERS.one, 'a case of one protocol');
  return variant(def, def.protocol);
}

function checkName(def: CaseOptions, range: { min: number; max: number }, what: string): void {
  if (def.key !== undefined) {
    if (!TABLE_KEY_RE.test(def.key))
      throw new Error(`${def.suite} case key '${def.key}' is no table key (6.4.3)`);
    return;
  }
  if (!Number.isInteger(def.num) || def.num < range.min || def.num > range.max)
    throw new Error(`${def.suite} case number ${def.num}: ${what} is numbered ${range.min}..${range.max}`);
}

function pick<T>(v: PerProtocol<T> | undefined, protocol: Protocol): T | undefined {
  if (v !== null && typeof v === 'object') return (v as Partial<Record<Protocol, T>>)[protocol];
  return v;
}

/** The case of `protocol`: the declaration's settings, with the id derived and per-protocol ones picked. */
function variant(def: OneProtocolCase | SeveralProtocolsCase, protocol: Protocol): CaseDefinition {
  const { num, key, protocols: _ps, protocol: _p, exclusive, shares, ...rest } = def;
  const out: CaseDefinition = { id: caseId(protocol, def.suite, key ?? (num as number)), protocol, ...rest };
  const ex = pick(exclusive, protocol);
  if (ex !== undefined) out.exclusive = ex;
  const sh = pick(shares, protocol);
  if (sh !== undefined) out.shares = sh;
  declared.add(out);
  return out;
}
