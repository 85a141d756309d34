// E7 `get_agent` and E11 binary `agent_code`: both answer agent_update to the asking connection
// only, or AGENT_NOT_FOUND with details.agent_id.
import type { Evo } from './context.js';
import { invalid, quote, type Rejection, rejected } from './errors.js';
import { isRecord, type Msg, own } from './read.js';
import type { Session } from './session.js';

const NEWLINE = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function notFound(evo: Evo, id: string, viaGetAgent: boolean): Rejection {
  // evo-get-agent-wrong-code (E7): get_agent of an unknown agent gets the wrong code
  const code = viaGetAgent && evo.has('evo-get-agent-wrong-code') ? 'INVALID_COMMAND' : 'AGENT_NOT_FOUND';
  return rejected(code, `no agent ${quote(id)}`, { agent_id: id.slice(0, 256) });
}

export function getAgent(evo: Evo, session: Session, msg: Msg): Rejection | undefined {
  const id = own(msg, 'agent_id');
  if (typeof id !== 'string' || id === '') return invalid('get_agent.agent_id must be a non-empty string');
  const agent = evo.run.agent(id);
  if (!agent) return notFound(evo, id, true);
  // evo-get-agent-no-reply (E7): only connections subscribed to agents get the answer
  if (evo.has('evo-get-agent-no-reply') && !session.channels.has('agents')) return undefined;
  session.send('agent_update', { data: agent });
  return undefined;
}

type Parsed = { agentId: string; code: Buffer } | { problem: string; notJson: boolean };

/** E11: UTF-8 JSON header `{"type":"agent_code","agent_id"}`, a 0x0A byte, then the code bytes */
export function parseAgentCode(data: Buffer): Parsed {
  const cut = data.indexOf(NEWLINE);
  if (cut < 0) return { problem: 'agent_code needs a JSON header, a newline byte, then the code', notJson: true };
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(data.subarray(0, cut)));
  } catch {
    return { problem: 'the agent_code header is not valid UTF-8 JSON', notJson: true };
  }
  if (!isRecord(header) || own(header, 'type') !== 'agent_code') {
    return { problem: 'a binary message must start with a {"type":"agent_code"} header', notJson: false };
  }
  const agentId = own(header, 'agent_id');
  if (typeof agentId !== 'string' || agentId === '') {
    return { problem: 'agent_code.agent_id must be a non-empty string', notJson: false };
  }
  return { agentId, code: data.subarray(cut + 1) };
}

export function agentCode(evo: Evo, session: Session, data: Buffer): Rejection | undefined {
  // evo-agent-code-ignored (E11): no answer at all
  if (evo.has('evo-agent-code-ignored')) return undefined;
  const parsed = parseAgentCode(data);
  if ('problem' in parsed) {
    // evo-agent-code-bad-header-silent (E11): a header that is not JSON gets no answer
    if (parsed.notJson && evo.has('evo-agent-code-bad-header-silent')) return undefined;
    return invalid(parsed.problem);
  }
  const agent = evo.run.acceptCode(parsed.agentId, parsed.code.length);
  if (!agent) return notFound(evo, parsed.agentId, false);
  // evo-agent-code-own-reply (E11 SHOULD): a reply of the server's own type instead of agent_update
  if (evo.has('evo-agent-code-own-reply')) session.send('agent_code_ack', { data: { agent_id: parsed.agentId } });
  else session.send('agent_update', { data: agent });
  return undefined;
}
