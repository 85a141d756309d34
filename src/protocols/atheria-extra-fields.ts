import { readFileSync } from 'node:fs';
import { specPath } from '../util/package-root.js';
import { isRecord } from './atheria-wait.js';

// C6 for the valid-command property: a generated command carries unknown extra fields, which a
// server SHOULD ignore; refusing one with an error naming it is NON-STRICT, not a failure of A3.
// Which fields are extra is read from the command's schema (spec/atheria/messages/client/).

const ENVELOPE = new Set(['type', 'payload', 'scope', 'command', 'args']);
const documented = new Map<string, Set<string>>();

function payloadFields(type: string): Set<string> {
  let known = documented.get(type);
  if (!known) {
    known = new Set();
    try {
      const schema = JSON.parse(
        readFileSync(specPath('atheria', 'messages', 'client', `${type}.schema.json`), 'utf8'),
      );
      const props = schema?.$defs?.payload?.properties;
      if (isRecord(props)) for (const k of Object.keys(props)) known.add(k);
    } catch {
      // an unknown type has no documented fields
    }
    documented.set(type, known);
  }
  return known;
}

/** The fields of a command (top level and inside payload/args) that its schema does not document. */
export function extraFields(type: string, message: unknown): string[] {
  if (!isRecord(message)) return [];
  const out = Object.keys(message).filter((k) => !ENVELOPE.has(k));
  const body = Object.hasOwn(message, 'type') ? message['payload'] : message['args'];
  if (isRecord(body)) {
    const known = payloadFields(type);
    out.push(...Object.keys(body).filter((k) => !known.has(k)));
  }
  return out;
}
