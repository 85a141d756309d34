// C4 hostile inputs as JSON text. Written by hand where JSON.stringify cannot produce them (an own
// "__proto__" key). Atheria inputs avoid commands that change the shared simulation when handled
// correctly (A0); Evolution inputs avoid `control` and rollback (E6/E8 run state).
import type { Protocol } from '../../src/engine/types.js';

/** Names that reach Object.prototype when used as a lookup key. */
export const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const POLLUTE = '{"polluted":true}';

/** Messages whose type (or scope, command, channel, id) is a prototype name. */
export function protoNameMessages(protocol: Protocol, authed: boolean): string[] {
  const out = PROTO_NAMES.map((n) => `{"type":${JSON.stringify(n)},"payload":{}}`);
  if (protocol === 'atheria') {
    for (const n of ['__proto__', 'constructor']) {
      out.push(
        `{"type":"${n}.${n}","payload":{}}`,
        `{"type":"inference.${n}","payload":{}}`,
        `{"type":"${n}.play","payload":{}}`,
        `{"scope":"${n}","command":"${n}","args":{}}`,
        `{"scope":"inference","command":"${n}","args":{}}`,
      );
    }
  } else if (authed) {
    for (const n of ['__proto__', 'constructor', 'prototype']) {
      out.push(
        `{"type":"subscribe","channel":"${n}"}`,
        `{"type":"subscribe","channels":["${n}","metrics"]}`,
        `{"type":"unsubscribe","channels":["${n}"]}`,
        `{"type":"get_agent","agent_id":"${n}"}`,
        `{"type":"command","cmd":"${n}","args":{}}`,
      );
    }
  }
  return out;
}

/** Messages with "__proto__" / "constructor" / "prototype" keys at the top level and nested. */
export function protoKeyMessages(protocol: Protocol, authed: boolean): string[] {
  const nested = `{"__proto__":${POLLUTE},"constructor":{"prototype":${POLLUTE}},"prototype":${POLLUTE}}`;
  if (protocol === 'atheria') {
    return [
      `{"__proto__":${POLLUTE},"type":"wsconform.noop","payload":{}}`,
      `{"type":"wsconform.noop","payload":${nested}}`,
      `{"constructor":{"prototype":${POLLUTE}},"scope":"wsconform","command":"noop","args":${nested}}`,
      `{"type":"simulation.set_fps","payload":{"__proto__":{"fps":5}}}`,
    ];
  }
  const out = [
    `{"__proto__":${POLLUTE},"type":"ping","timestamp":1}`,
    `{"constructor":{"prototype":${POLLUTE}},"type":"ping","timestamp":2,"data":${nested}}`,
  ];
  if (authed) {
    out.push(
      `{"type":"subscribe","channels":["metrics"],"filters":${nested}}`,
      `{"type":"subscribe","channel":"evolution","filters":{"__proto__":{"generation_min":5}}}`,
      `{"type":"get_agent","agent_id":"wsconform-none","__proto__":{"agent_id":"x"}}`,
      `{"type":"command","cmd":"wsconform-none","args":${nested}}`,
    );
  }
  return out;
}

/** JSON of the wrong shape: non-objects, a non-string type, fields of the wrong type. */
export function wronglyTyped(protocol: Protocol, authed: boolean): string[] {
  const out = [
    'null',
    '123',
    '"ping"',
    '[]',
    '[{"type":"ping"}]',
    '{}',
    '{"type":null}',
    '{"type":123}',
    '{"type":["ping"]}',
    '{"type":{"toString":"x"}}',
    '{"type":true,"payload":[]}',
  ];
  if (protocol === 'atheria') {
    out.push(
      '{"type":"simulation.set_fps","payload":"fast"}',
      '{"type":"simulation.set_fps","payload":{"fps":"fast"}}',
      '{"type":"simulation.set_fps","payload":{"fps":-1e308}}',
      '{"type":"inference.load_experiment","payload":{"experiment_name":42}}',
      '{"type":"inference.set_viz","payload":{"viz_type":["flow"]}}',
      '{"scope":1,"command":["play"],"args":"x"}',
      '{"scope":"inference","command":null,"args":null}',
    );
  } else {
    out.push('{"type":"ping","timestamp":"abc"}', '{"type":"ping","timestamp":{"n":1}}');
    if (authed) {
      out.push(
        '{"type":"subscribe","channels":"evolution"}',
        '{"type":"subscribe","channel":42}',
        '{"type":"subscribe","channels":[1,null,{}]}',
        '{"type":"subscribe","channel":"evolution","filters":"all"}',
        '{"type":"subscribe","channel":"evolution","filters":{"generation_min":"5","fitness_min":[]}}',
        '{"type":"unsubscribe","channels":{}}',
        '{"type":"get_agent","agent_id":42}',
        '{"type":"get_agent"}',
        '{"type":"command","cmd":["rollback"],"args":null}',
      );
    }
  }
  return out;
}

/** JSON nested `depth` deep: valid, but fatal to code that walks it recursively. */
export function deepJson(depth: number): string {
  return `{"type":"wsconform.deep","payload":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/**
 * Text that is not JSON (truncated JSON). One on purpose: a server that stalls per bad message
 * stalls per item, and one stall already fails C4; the variety of bad JSON is E9's and A4's.
 */
export const NON_JSON = ['{"type": "ping", '];
