// One Atheria connection: initial_state first (A1), then commands in either form (A2) until close.
// A4: whatever the client sends, the connection stays open and keeps working; problems are
// answered by notification error. Binary messages from the client are ignored (A6).

import type { RawData, WebSocket } from 'ws';
import type { TimerHandle } from '../clock.js';
import { COMMANDS, SCOPES } from './commands.js';
import { experimentSummaries } from './experiments.js';
import { initialState, notification, quote } from './messages.js';
import { parseClientMessage } from './parse.js';
import { Session } from './session.js';
import { VIZ_TYPES } from './viz.js';
import type { AtheriaWorld } from './world.js';

/** ath-initial-state-late: beyond A1's 2 s */
const LATE_INITIAL_STATE_MS = 3000;

export function handleConnection(world: AtheriaWorld, ws: WebSocket, id: string): void {
  const session = new Session(ws, id, world.broadcaster, world.ctx.metrics);
  const { has } = world;
  const { clock, logError } = world.ctx;
  let lateTimer: TimerHandle | undefined;

  const start = (): void => {
    // ath-no-initial-state (A1): straight to frames, no initial_state
    if (!has('ath-no-initial-state')) {
      session.send(
        initialState({
          experiments: experimentSummaries(),
          running: world.running,
          activeExperiment: world.experiment.name,
          info: world.info(session.liveFeed),
          vizTypes: [...VIZ_TYPES],
        }),
      );
    }
    session.ready = true;
    session.update();
  };

  /** A4 problem: notification error (SHOULD), the connection stays open (MUST). */
  const reject = (reason: string): void => {
    // ath-unknown-silent (A4 SHOULD): silence, as the public code
    if (!has('ath-unknown-silent')) session.send(notification('error', reason, has));
    // ath-unknown-closes (A4 MUST): the connection is closed
    if (has('ath-unknown-closes')) ws.close(1008, 'unknown command');
  };

  const onMessage = (data: RawData, isBinary: boolean): void => {
    world.ctx.metrics.messagesIn++;
    if (isBinary) {
      // A6: a client's binary message is ignored; ath-binary-client-closes breaks that (1003: unsupported data)
      if (has('ath-binary-client-closes')) ws.close(1003, 'binary messages are not accepted');
      return;
    }
    const parsed = parseClientMessage(data.toString());
    if (parsed.kind === 'invalid') {
      reject(parsed.reason);
      return;
    }
    // ath-legacy-form-ignored (A2): the {scope, command, args} form has no effect and no answer
    if (parsed.legacy && has('ath-legacy-form-ignored')) return;
    const handler = COMMANDS.get(parsed.name);
    if (!handler) {
      const dot = parsed.name.indexOf('.');
      const scope = dot < 0 ? parsed.name : parsed.name.slice(0, dot);
      reject(
        SCOPES.has(scope)
          ? `unknown command ${quote(parsed.name)}`
          : `unknown scope ${quote(scope)} in ${quote(parsed.name)}`,
      );
      return;
    }
    try {
      handler(world, session, parsed.args);
    } catch (error) {
      // C4: a bug in one command must not take the server down; logged, no stack trace to the client
      logError({ connection: id, messageType: parsed.name, error });
      session.send(notification('error', `internal error in ${quote(parsed.name)}`, has));
    }
  };

  ws.on('message', (data: RawData, isBinary: boolean) => {
    try {
      onMessage(data, isBinary);
    } catch (error) {
      // outside a command handler (parsing, lookup): a bug of ours, logged; the connection stays (A4)
      logError({ connection: id, messageType: isBinary ? '(binary)' : '(unparsed)', error });
      session.send(notification('error', 'internal error', has));
    }
  });
  // protocol errors are answered by ws itself (close 1002/1007/1009, C3); without a listener the
  // 'error' event would be thrown
  ws.on('error', () => {});
  ws.once('close', () => {
    clock.clearTimeout(lateTimer);
    world.leave(session);
  });
  world.join(session);
  if (has('ath-initial-state-late')) lateTimer = clock.setTimeout(start, LATE_INITIAL_STATE_MS);
  else start();
}
