// E9: a client message that breaks its schema (spec/evolution/messages/client/) gets
// INVALID_COMMAND and has no effect. Inbound commands only: the broadcast path validates nothing.
import { clientMessageTypes, validateClientMessage } from '../../src/schema/validate.js';
import { formatViolation } from '../../src/schema/violations.js';
import type { Msg } from './read.js';

/** compiles the client validators now rather than on some connection's first message */
export function warmUpValidators(): void {
  for (const type of clientMessageTypes('evolution')) validateClientMessage('evolution', { type });
}

/** the first schema problem of a (flattened) client message, or undefined when it is valid */
export function schemaProblem(msg: Msg): string | undefined {
  const [first] = validateClientMessage('evolution', msg);
  return first && `${first.messageType}: ${formatViolation(first)}`;
}
