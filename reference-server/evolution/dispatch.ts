// One inbound message of an evolution connection, in queue order (session.ts): parse (E9), the
// auth gate (E2: before auth only auth and ping), the client schema (E9), then the handler of its
// type. Nothing on the broadcast path is validated.
import { agentCode, getAgent } from './agents.js';
import { authMessage } from './auth.js';
import type { Evo } from './context.js';
import { command, control } from './control.js';
import { invalid, quote, type Rejection, rejected } from './errors.js';
import type { RunPublisher } from './events.js';
import { flatten, isRecord, type Msg, own } from './read.js';
import type { Session } from './session.js';
import { subscribe, unsubscribe } from './subscribe.js';
import { schemaProblem } from './validate.js';

type Route = (evo: Evo, publisher: RunPublisher, session: Session, msg: Msg) => Rejection | undefined;

/** Types whose schema-invalid messages the evo-invalid-silent fault leaves unanswered (E9 only). */
const SILENT_WHEN_INVALID = new Set(['subscribe', 'unsubscribe', 'get_agent', 'ping']);

/** E3: pong echoes the ping's numeric timestamp, authenticated or not */
const ping: Route = (evo, _publisher, session, msg) => {
  // evo-ping-needs-auth (E3)
  if (session.user === undefined && evo.has('evo-ping-needs-auth')) return rejected('UNAUTHORIZED', 'authenticate first');
  const ts = own(msg, 'timestamp') as number; // a number: checked by the ping schema
  const text = evo.envelope.encodePong(evo.has('evo-pong-server-time') ? Math.floor(evo.clock.now()) : ts);
  // evo-pong-late (E3): beyond the 1 s the rule allows
  if (evo.has('evo-pong-late')) evo.clock.setTimeout(() => session.sendText(text), 1500);
  else session.sendText(text);
  return undefined;
};

const ROUTES = new Map<string, Route>([
  ['ping', ping],
  ['subscribe', (evo, _p, session, msg) => subscribe(evo, session, msg)],
  ['unsubscribe', (evo, _p, session, msg) => unsubscribe(evo, session, msg)],
  ['control', control],
  ['get_agent', (evo, _p, session, msg) => getAgent(evo, session, msg)],
  ['command', command],
  ['agent_code', () => invalid('agent_code is sent as one binary message: JSON header, newline, code')],
]);

function answer(evo: Evo, session: Session, rejection: Rejection | undefined): void {
  if (!rejection) return;
  session.error(rejection.code, rejection.message, rejection.details);
  // evo-invalid-closes (E9): a schema-invalid message closes the connection
  if (rejection.schemaInvalid && evo.has('evo-invalid-closes')) session.close(1008, 'invalid message');
}

/** a rejection to answer, nothing, or the pending token check of an auth message */
function text(
  evo: Evo,
  publisher: RunPublisher,
  session: Session,
  authed: boolean,
  data: Buffer,
): Rejection | Promise<void> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return invalid('the message is not valid JSON');
  }
  if (!isRecord(parsed)) return invalid('a message must be a JSON object with a string "type"');
  const msg = flatten(parsed);
  const type = own(msg, 'type');
  // evo-reject-client-id (E1): optional id/timestamp on client messages are refused
  if (type !== 'ping' && evo.has('evo-reject-client-id') && (Object.hasOwn(msg, 'id') || Object.hasOwn(msg, 'timestamp'))) {
    return invalid('client messages may not carry id or timestamp');
  }
  // E2: token problems (also a missing or non-string token) are AUTH_FAILED, not schema errors
  if (type === 'auth') return authMessage(evo, session, msg);
  // E2: before authentication any other message gets UNAUTHORIZED and has no effect
  // evo-unauth-wrong-code (E2 SHOULD): INVALID_COMMAND instead of UNAUTHORIZED
  if (!authed && type !== 'ping')
    return rejected(
      evo.has('evo-unauth-wrong-code') ? 'INVALID_COMMAND' : 'UNAUTHORIZED',
      'authenticate first (auth message or Authorization header)',
    );
  const route = typeof type === 'string' ? ROUTES.get(type) : undefined;
  if (!route) {
    if (typeof type !== 'string') return invalid('a message needs a string "type"');
    // evo-unknown-type-silent (E9)
    return evo.has('evo-unknown-type-silent') ? undefined : rejected('INVALID_COMMAND', `unknown message type ${quote(type)}`);
  }
  // evo-control-bad-param-accepted (E6): out-of-range parameters pass (control.ts clamps them)
  const lenient = type === 'control' && evo.has('evo-control-bad-param-accepted');
  const problem = lenient ? undefined : schemaProblem(msg);
  // evo-ping-bad-timestamp-pong (E3 SHOULD): a ping without a numeric timestamp gets a pong with the server's time
  if (problem && type === 'ping' && evo.has('evo-ping-bad-timestamp-pong')) {
    session.sendText(evo.envelope.encodePong(Math.floor(evo.clock.now())));
    return undefined;
  }
  // evo-invalid-silent (E9 SHOULD): schema-invalid messages whose errors are no MUST of E6/E8 get no answer
  if (problem && SILENT_WHEN_INVALID.has(String(type)) && evo.has('evo-invalid-silent')) return undefined;
  if (problem) return invalid(problem);
  return route(evo, publisher, session, msg);
}

export function makeHandler(evo: Evo, publisher: RunPublisher) {
  return (session: Session, data: Buffer, isBinary: boolean): void | Promise<void> => {
    // evo-unauth-allowed (E2): everything is acted on before authentication
    const authed = session.user !== undefined || evo.has('evo-unauth-allowed');
    if (isBinary) {
      answer(evo, session, authed ? agentCode(evo, session, data) : rejected('UNAUTHORIZED', 'authenticate first'));
      return;
    }
    const result = text(evo, publisher, session, authed, data);
    if (!(result instanceof Promise)) return answer(evo, session, result);
    // E2: the token check is async; the session's queue holds later messages until it ends.
    // evo-auth-out-of-order: later messages do not wait for it
    return evo.has('evo-auth-out-of-order') ? void result.catch(() => {}) : result;
  };
}
