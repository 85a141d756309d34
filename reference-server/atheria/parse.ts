// Read a client text message into a command name and its arguments (A2: `{type:"scope.command",
// payload}` and the legacy `{scope, command, args}` are equivalent; A4: anything else is an error
// whose message names the problem). Only own properties are read (Object.hasOwn), so "__proto__"
// or "constructor" keys are plain data (C4).

import { quote } from './messages.js';

export type Args = Readonly<Record<string, unknown>>;

export type Parsed =
  | { kind: 'command'; name: string; args: Args; legacy: boolean }
  /** A4 errors: not JSON, not an object, neither type nor scope+command, wrong field types */
  | { kind: 'invalid'; reason: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function own(o: Args, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

const EMPTY: Args = Object.freeze({});

function argsOf(v: unknown, field: string): Args | string {
  if (v === undefined || v === null) return EMPTY;
  if (!isRecord(v)) return `${field} must be a JSON object`;
  return v;
}

export function parseClientMessage(text: string): Parsed {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'message is not valid JSON' };
  }
  if (!isRecord(msg)) return { kind: 'invalid', reason: 'message must be a JSON object' };
  if (Object.hasOwn(msg, 'type')) {
    const type = msg['type'];
    if (typeof type !== 'string')
      return { kind: 'invalid', reason: '"type" must be a string "scope.command"' };
    const args = argsOf(own(msg, 'payload'), '"payload"');
    if (typeof args === 'string') return { kind: 'invalid', reason: `${args} (command ${quote(type)})` };
    return { kind: 'command', name: type, args, legacy: false };
  }
  const scope = own(msg, 'scope');
  const command = own(msg, 'command');
  if (scope === undefined && command === undefined) {
    return { kind: 'invalid', reason: 'message has neither "type" nor "scope" and "command"' };
  }
  if (typeof scope !== 'string' || typeof command !== 'string') {
    return { kind: 'invalid', reason: '"scope" and "command" must both be strings' };
  }
  const name = `${scope}.${command}`;
  const args = argsOf(own(msg, 'args'), '"args"');
  if (typeof args === 'string') return { kind: 'invalid', reason: `${args} (command ${quote(name)})` };
  return { kind: 'command', name, args, legacy: true };
}
