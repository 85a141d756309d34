// A4: an unknown scope or command, non-JSON text, or a message with neither `type` nor
// `scope`+`command`: the server SHOULD answer a notification error naming the problem (silence is
// NON-STRICT: the public code is silent) and MUST keep the connection open and working.
import { defineCase } from '../../src/engine/define-case.js';
import type { FaultName } from '../../src/schema/faults.js';
import type { CaseContext, CaseDefinition } from '../../src/engine/types.js';
import { connectAtheria, errorNotifications } from '../../src/protocols/atheria-commands.js';
import { Probe } from '../../src/protocols/atheria-probe.js';
import { SENTINEL_CASE } from '../../src/protocols/atheria-state.js';
import { notificationMessage } from '../../src/protocols/atheria-wait.js';

interface BadInput {
  /** what was sent, for reasons */
  label: string;
  /** sent as text verbatim */
  text: string;
  /** a word the error message should contain to name the problem (SHOULD), if any */
  names?: string;
}

const json = (label: string, value: unknown, names?: string): BadInput => ({
  label,
  text: JSON.stringify(value),
  ...(names ? { names } : {}),
});

function unknownInputCase(
  num: number,
  title: string,
  inputs: BadInput[],
  faults: FaultName[],
): CaseDefinition {
  return defineCase({
    protocol: 'atheria',
    num,
    suite: 'errors',
    rule: 'A4',
    title,
    faults,
    hostile: true,
    async run(ctx: CaseContext) {
      const { conn } = await connectAtheria(ctx);
      const probe = new Probe(conn);
      ctx.precondition(
        await probe.sync(),
        'load_experiment of an unknown experiment got no final notification within 2 s; the harness uses it to know a message was processed',
        SENTINEL_CASE,
      );
      for (const input of inputs) {
        const { replies, sentinel } = await probe.exchange(() => conn.sendText(input.text));
        ctx.require(conn.isOpen, `the server closed the connection after ${input.label}`);
        ctx.require(
          sentinel,
          `after ${input.label} the server stopped answering (no reply to the next command within 2 s)`,
        );
        const errors = errorNotifications(replies);
        if (!ctx.should(errors.length > 0, `${input.label} got no error notification`)) continue;
        const message = errors[0] ? notificationMessage(errors[0]) : '';
        ctx.should(
          message.trim().length > 0,
          `the error notification for ${input.label} has an empty message`,
        );
        if (input.names) {
          ctx.should(
            message.includes(input.names),
            `the error notification for ${input.label} does not name "${input.names}": "${message}"`,
          );
        }
      }
      conn.close(1000);
    },
  });
}

const SCOPE = 'wsconform_scope';
const COMMAND = 'wsconform_command';

export default [
  unknownInputCase(
    1,
    'an unknown scope (both forms) gets a notification error and the connection keeps working',
    [
      json(`{"type":"${SCOPE}.play"}`, { type: `${SCOPE}.play`, payload: {} }, SCOPE),
      json(`{"scope":"${SCOPE}","command":"play"}`, { scope: SCOPE, command: 'play', args: {} }, SCOPE),
    ],
    ['ath-unknown-silent', 'ath-unknown-closes'],
  ),
  unknownInputCase(
    2,
    'an unknown command of a known scope (both forms) gets a notification error and the connection keeps working',
    [
      json(`{"type":"inference.${COMMAND}"}`, { type: `inference.${COMMAND}`, payload: {} }, COMMAND),
      json(
        `{"scope":"simulation","command":"${COMMAND}"}`,
        { scope: 'simulation', command: COMMAND, args: {} },
        COMMAND,
      ),
    ],
    ['ath-unknown-silent', 'ath-unknown-closes'],
  ),
  unknownInputCase(
    3,
    'non-JSON text gets a notification error and the connection keeps working',
    [
      { label: 'the non-JSON text "not json {"', text: 'not json {' },
      { label: 'an empty text message', text: '' },
    ],
    ['ath-unknown-silent'],
  ),
  unknownInputCase(
    4,
    'JSON with neither type nor scope+command gets a notification error and the connection keeps working',
    [
      json('{"payload":{}}', { payload: {} }),
      json('{"scope":"inference","args":{}} (no command)', { scope: 'inference', args: {} }),
      json('{"command":"play"} (no scope)', { command: 'play' }),
      json('a JSON array', [1, 2, 3]),
      json('a JSON string', 'inference.play'),
      json('{"type":42}', { type: 42 }),
    ],
    ['ath-unknown-silent'],
  ),
];
