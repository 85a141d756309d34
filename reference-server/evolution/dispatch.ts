// One inbound message of an evolution connection, in queue order (session.ts): parse (E9), the
// auth gate (E2: before auth only auth and ping), then the handler of its type. Client commands
// are checked by hand here; nothing on the broadcast path is validated.
import type { Evo } from './context.js';
import { agentCode, getAgent } from './agents.js';
import { authMessage } from './auth.js';
import { command, control } from './control.js';
import { invalid, quote, type Rejection, rejected } from './errors.js';
import type { RunPublisher } from './events.js';
import { field, isRecord, type Msg, own } from './read.js';
import type { Session } from './session.js';
import { subscribe, unsubscribe } from './subscribe.js';

/** E3: pong echoes the ping's numeric timestamp, authenticated or not */
function ping(evo: Evo, session: Session, msg: Msg): Rejection | undefined {
  // evo-ping-needs-auth (E3)
  if (session.user === undefined && evo.has('evo-ping-needs-auth')) {
    return rejected('UNAUTHORIZED', 'authenticate first');
  }
  const ts = field(msg, 'timestamp');
  const echo = typeof ts === 'number' && Number.isFinite(ts) && !evo.has('evo-pong-server-time');
  const text = evo.envelope.encodePong(echo ? ts : Date.now());
  // evo-pong-late (E3): beyond the 1 s the rule allows
  if (evo.has('evo-pong-late')) setTimeout(() => session.sendText(text), 1500);
  else session.sendText(text);
  return undefined;
}

function answer(evo: Evo, session: Session, rejection: Rejection | undefined): void {
  if (!rejection) return;
  session.error(rejection.code, rejection.message, rejection.details);
  // evo-invalid-closes (E9): a schema-invalid message closes the connection
  if (rejection.schemaInvalid && evo.has('evo-invalid-closes')) session.close(1008, 'invalid message');
}

function route(evo: Evo, publisher: RunPublisher, session: Session, msg: Msg, type: unknown): Rejection | undefined {
  switch (type) {
    case 'subscribe':
      return subscribe(evo, session, msg);
    case 'unsubscribe':
      return unsubscribe(evo, session, msg);
    case 'control':
      return control(evo, publisher, session, msg);
    case 'get_agent':
      return getAgent(evo, session, msg);
    case 'command':
      return command(evo, publisher, session, msg);
    case 'agent_code':
      return invalid('agent_code is sent as one binary message: JSON header, newline, code');
    default:
      if (typeof type !== 'string') return invalid('a message needs a string "type"');
      // evo-unknown-type-silent (E9)
      if (evo.has('evo-unknown-type-silent')) return undefined;
      return rejected('INVALID_COMMAND', `unknown message type ${quote(type)}`);
  }
}

export function makeHandler(evo: Evo, publisher: RunPublisher) {
  return (session: Session, data: Buffer, isBinary: boolean): void | Promise<void> => {
    // evo-unauth-allowed (E2): everything is acted on before authentication
    const authed = session.user !== undefined || evo.has('evo-unauth-allowed');
    if (isBinary) {
      answer(evo, session, authed ? agentCode(evo, session, data) : rejected('UNAUTHORIZED', 'authenticate first'));
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch {
      answer(evo, session, invalid('the message is not valid JSON'));
      return;
    }
    if (!isRecord(msg)) {
      answer(evo, session, invalid('a message must be a JSON object with a string "type"'));
      return;
    }
    const type = own(msg, 'type');
    // evo-reject-client-id (E1): optional id/timestamp on client messages are refused
    if (type !== 'ping' && evo.has('evo-reject-client-id') && (Object.hasOwn(msg, 'id') || Object.hasOwn(msg, 'timestamp'))) {
      answer(evo, session, invalid('client messages may not carry id or timestamp'));
      return;
    }
    if (type === 'ping') return answer(evo, session, ping(evo, session, msg));
    if (type === 'auth') {
      const pending = authMessage(evo, session, msg);
      // evo-auth-out-of-order (E2): later messages do not wait for the token check
      return evo.has('evo-auth-out-of-order') ? void pending.catch(() => {}) : pending;
    }
    // E2: before authentication any other message gets UNAUTHORIZED and has no effect
    if (!authed) return answer(evo, session, rejected('UNAUTHORIZED', 'authenticate first (auth message or Authorization header)'));
    answer(evo, session, route(evo, publisher, session, msg, type));
  };
}
