// Fault switches of the reference server (`wsconform serve --fault NAME`). Each breaks exactly one
// rule of the conformance profile (spec/PROFILE.md) so that the fault self-test can prove that the case
// citing that rule fails. FAULTS.md is generated from / checked against this table.
//
// `level` is the level of the broken rule: a case checking a MUST must end `fail` against the
// fault; a case checking a SHOULD must end `non-strict`.

export interface FaultInfo {
  rule: string;
  level: 'must' | 'should';
  breaks: string;
}

export const FAULTS = {
  // ---- C1 handshake (both endpoints) ----
  'handshake-wrong-accept': { rule: 'C1', level: 'must', breaks: 'Sec-WebSocket-Accept is computed wrongly' },
  'handshake-any-path': { rule: 'C1', level: 'must', breaks: 'an unknown path is upgraded (101) instead of refused with a 4xx' },
  'handshake-wrong-path-400': { rule: 'C1', level: 'should', breaks: 'an unknown path gets 400 instead of the preferred 404 (still refused)' },
  'handshake-bad-key-accepted': { rule: 'C1', level: 'must', breaks: 'a missing or malformed Sec-WebSocket-Key gets 101 instead of a 4xx' },
  'handshake-bad-key-426': { rule: 'C1', level: 'should', breaks: 'a missing or malformed Sec-WebSocket-Key gets 426 instead of the preferred 400 (still refused)' },
  'handshake-version-no-header': { rule: 'C1', level: 'must', breaks: 'an unsupported version gets 426 without Sec-WebSocket-Version: 13' },
  'handshake-post-accepted': { rule: 'C1', level: 'must', breaks: 'a POST upgrade gets 101 instead of 4xx' },
  'handshake-subprotocol-echo': { rule: 'C1', level: 'must', breaks: 'the server selects the first offered subprotocol although it knows none' },
  // ---- C2 origin ----
  'origin-suffix-match': { rule: 'C2', level: 'must', breaks: 'the allow-list matches by prefix, so https://allowed.example.evil.test passes' },
  'origin-null-allowed': { rule: 'C2', level: 'must', breaks: 'Origin: null is accepted' },
  'origin-missing-rejected': { rule: 'C2', level: 'must', breaks: 'an upgrade with no Origin header gets 403' },
  // ---- C3 control frames and close codes ----
  'pong-wrong-payload': { rule: 'C3', level: 'must', breaks: 'a ping is answered by a pong with a different payload' },
  'unsolicited-pong-closes': { rule: 'C3', level: 'must', breaks: 'an unsolicited pong is treated as a protocol error (close 1002)' },
  'close-no-echo': { rule: 'C3', level: 'must', breaks: 'a client close frame is answered by dropping the TCP connection, without a close frame' },
  'close-wrong-code': { rule: 'C3', level: 'should', breaks: 'a close frame is answered with code 1000 whatever the client sent' },
  'protocol-error-wrong-code': { rule: 'C3', level: 'must', breaks: 'protocol errors close with 1000 instead of 1002' },
  'utf8-not-checked': { rule: 'C3', level: 'must', breaks: 'invalid UTF-8 in a text message is accepted instead of close 1007' },
  'no-size-limit': { rule: 'C3', level: 'must', breaks: 'a message over the size limit (maxMessageBytes, 1 MiB by default) is accepted instead of close 1009' },
  'size-limit-after-payload': { rule: 'C3', level: 'should', breaks: 'a message over the size limit is closed with 1009 only after its whole payload has arrived, not from the frame header' },
  // ---- C4 robustness ----
  'crash-on-proto-key': { rule: 'C4', level: 'must', breaks: 'a message whose type or a key is "__proto__" or "constructor" crashes the server (it stops listening)' },
  'stall-on-bad-json': { rule: 'C4', level: 'must', breaks: 'non-JSON text blocks the event loop for 3 s' },
  'crash-on-header-flood': { rule: 'C4', level: 'must', breaks: 'an upgrade request with over 500 headers crashes the server' },
  'stall-on-slow-handshake': { rule: 'C4', level: 'must', breaks: 'a half-open handshake blocks every later upgrade until it completes' },
  'crash-on-wrong-type': { rule: 'C4', level: 'must', breaks: 'a JSON message whose "type" is not a string crashes the server (it stops listening)' },
  'stall-on-flood': { rule: 'C4', level: 'must', breaks: 'over 400 messages within 1 s on one connection block the event loop for 3 s' },
  'crash-on-binary-garbage': { rule: 'C4', level: 'must', breaks: 'a binary message that does not start with "{" crashes the server (it stops listening)' },
  // ---- Atheria ----
  'ath-no-initial-state': { rule: 'A1', level: 'must', breaks: 'initial_state is not sent on connect' },
  'ath-initial-state-late': { rule: 'A1', level: 'must', breaks: 'initial_state is sent after 3 s' },
  'ath-legacy-form-ignored': { rule: 'A2', level: 'must', breaks: 'the legacy {scope, command, args} form is ignored' },
  'ath-play-no-status': { rule: 'A3', level: 'must', breaks: 'play sends no inference_status_update' },
  'ath-pause-frames-continue': { rule: 'A3', level: 'must', breaks: 'frames keep flowing after pause' },
  'ath-load-unknown-success': { rule: 'A3', level: 'must', breaks: 'load_experiment of an unknown name answers success' },
  'ath-fps-info-wrong': { rule: 'A3', level: 'should', breaks: 'simulation_info.fps does not follow set_fps' },
  'ath-fps-rate-wrong': { rule: 'A3', level: 'should', breaks: 'the observed frame rate ignores set_fps' },
  'ath-live-feed-ignored': { rule: 'A3', level: 'must', breaks: 'set_live_feed {enabled:false} does not stop frames' },
  'ath-viz-no-flow-data': { rule: 'A3', level: 'should', breaks: 'after set_viz flow, frames carry no flow_data' },
  'ath-viz-unknown-silent': { rule: 'A3', level: 'should', breaks: 'an unknown viz type is silently accepted' },
  'ath-inject-energy-error': { rule: 'A3', level: 'must', breaks: 'inject_energy in the documented {energy_type, amount} form answers error' },
  'ath-unknown-silent': { rule: 'A4', level: 'should', breaks: 'unknown commands and bad JSON get no error notification (as the public code)' },
  'ath-unknown-closes': { rule: 'A4', level: 'must', breaks: 'an unknown command closes the connection' },
  'ath-frame-bad-map': { rule: 'A5,C5', level: 'must', breaks: 'map_data rows have unequal lengths' },
  'ath-step-decreases': { rule: 'A5', level: 'must', breaks: 'step goes backwards between frames' },
  'ath-binary-size-mismatch': { rule: 'A6', level: 'must', breaks: 'the binary header size differs from the payload length' },
  'ath-binary-interleave': { rule: 'A6', level: 'must', breaks: 'a notification is sent between a binary header and its payload' },
  'ath-binary-legacy-header': { rule: 'A6', level: 'should', breaks: 'binary frames use the public code header {type:simulation_frame, is_binary:true} without size' },
  'ath-binary-bad-payload': { rule: 'A6,C5', level: 'must', breaks: 'the binary payload does not decode to a valid simulation_frame payload' },
  'ath-binary-client-closes': { rule: 'A6', level: 'must', breaks: 'a binary message from the client closes the connection' },
  'ath-notification-bad-status': { rule: 'A7,C5', level: 'must', breaks: 'notifications carry status "ok"' },
  'ath-status-bad-enum': { rule: 'A8,C5', level: 'must', breaks: 'inference_status_update carries status "stopped" for pause' },
  // ---- Evolution ----
  'evo-greeting': { rule: 'E1,C5', level: 'must', breaks: 'a greeting without a type, {"event":"welcome"}, is sent on connect' },
  'evo-no-envelope-id': { rule: 'E1', level: 'should', breaks: 'server messages carry no id and timestamp' },
  'evo-timestamp-number': { rule: 'E1,C5', level: 'must', breaks: 'envelope timestamps are epoch numbers instead of ISO 8601 strings' },
  'evo-reject-client-id': { rule: 'E1', level: 'must', breaks: 'client messages with id/timestamp get INVALID_COMMAND' },
  'evo-header-auth-ignored': { rule: 'E2', level: 'must', breaks: 'a valid Authorization: Bearer header does not authenticate' },
  'evo-accept-alg-none': { rule: 'E2', level: 'must', breaks: 'alg:none tokens are accepted' },
  'evo-accept-bad-signature': { rule: 'E2', level: 'must', breaks: 'the signature is not checked' },
  'evo-accept-expired': { rule: 'E2', level: 'must', breaks: 'expired tokens are accepted' },
  'evo-accept-future-nbf': { rule: 'E2', level: 'must', breaks: 'tokens with nbf in the future are accepted' },
  'evo-accept-other-alg': { rule: 'E2', level: 'must', breaks: 'HS512 tokens signed with the secret are accepted' },
  'evo-bad-header-silent': { rule: 'E2', level: 'must', breaks: 'a bad bearer header gets 101 and neither AUTH_FAILED nor close' },
  'evo-bad-header-101': { rule: 'E2', level: 'should', breaks: 'a bad bearer header gets 101 + AUTH_FAILED + 1008 instead of HTTP 401' },
  'evo-auth-fail-no-close': { rule: 'E2', level: 'should', breaks: 'a failed auth message gets AUTH_FAILED but the connection stays open' },
  'evo-auth-fail-silent': { rule: 'E2', level: 'must', breaks: 'a failed auth message gets no AUTH_FAILED error' },
  'evo-auth-out-of-order': { rule: 'E2', level: 'must', breaks: 'a subscribe sent right after auth is processed before the async token check ends' },
  'evo-unauth-allowed': { rule: 'E2', level: 'must', breaks: 'messages other than auth/ping are acted on before authentication' },
  'evo-unauth-wrong-code': { rule: 'E2', level: 'should', breaks: 'documented types before authentication get INVALID_COMMAND instead of UNAUTHORIZED' },
  'evo-no-auth-timeout': { rule: 'E2', level: 'should', breaks: 'unauthenticated connections are never closed' },
  'evo-no-expiry-close': { rule: 'E2', level: 'should', breaks: 'a connection whose token expires stays open' },
  'evo-pong-late': { rule: 'E3', level: 'must', breaks: 'pong comes 1.5 s after ping' },
  'evo-pong-server-time': { rule: 'E3', level: 'should', breaks: 'pong carries the server time instead of echoing the ping timestamp' },
  'evo-ping-needs-auth': { rule: 'E3', level: 'must', breaks: 'ping before authentication gets UNAUTHORIZED' },
  'evo-ping-bad-timestamp-pong': { rule: 'E3', level: 'should', breaks: "a ping without a numeric timestamp gets a pong with the server's time instead of INVALID_COMMAND" },
  'evo-leak-unsubscribed': { rule: 'E4', level: 'must', breaks: 'metrics are sent to connections not subscribed to metrics' },
  'evo-unsubscribe-ignored': { rule: 'E4', level: 'must', breaks: 'unsubscribe does not stop delivery' },
  'evo-unknown-channel-silent': { rule: 'E4', level: 'must', breaks: 'an unknown channel gets no INVALID_COMMAND' },
  'evo-unknown-channel-drops-valid': { rule: 'E4', level: 'should', breaks: 'a subscribe naming an unknown channel ignores its valid channels too' },
  'evo-channel-singular-ignored': { rule: 'E4', level: 'must', breaks: 'subscribe {channel} (singular) is ignored; only channels[] works' },
  'evo-filters-ignored': { rule: 'E5', level: 'must', breaks: 'generation_min / fitness_min filters are not applied' },
  'evo-pause-ignored': { rule: 'E6', level: 'must', breaks: 'control pause/stop does not stop evolution_update' },
  'evo-control-bad-param-accepted': { rule: 'E6', level: 'must', breaks: 'out-of-range control parameters are accepted silently' },
  'evo-start-restarts': { rule: 'E6', level: 'must', breaks: 'start while running restarts the run from generation 0' },
  'evo-get-agent-wrong-code': { rule: 'E7', level: 'must', breaks: 'an unknown agent gets INVALID_COMMAND instead of AGENT_NOT_FOUND' },
  'evo-get-agent-no-reply': { rule: 'E7', level: 'must', breaks: 'get_agent of an existing agent is answered only to agents subscribers' },
  'evo-rollback-ignored': { rule: 'E8', level: 'must', breaks: 'rollback does not reset the generation' },
  'evo-rollback-out-of-range-accepted': { rule: 'E8', level: 'must', breaks: 'rollback to a future generation is accepted' },
  'evo-unknown-type-silent': { rule: 'E9', level: 'must', breaks: 'unknown message types get no INVALID_COMMAND' },
  'evo-invalid-closes': { rule: 'E9', level: 'must', breaks: 'a schema-invalid message closes the connection' },
  'evo-invalid-silent': { rule: 'E9', level: 'should', breaks: 'schema-invalid subscribe, unsubscribe, get_agent and ping messages get no answer (and no effect)' },
  'evo-invalid-command-other-code': { rule: 'E9,E2,E3,E4,E6,E8,E11', level: 'should', breaks: 'every INVALID_COMMAND answer carries EVOLUTION_FAILED instead' },
  'evo-error-echoes-token': { rule: 'E9', level: 'must', breaks: 'AUTH_FAILED messages echo the token' },
  'evo-error-bad-code': { rule: 'E9,C5', level: 'must', breaks: 'errors use the code "BAD_REQUEST", not one of the seven' },
  'evo-no-msg-rate-limit': { rule: 'E10', level: 'must', breaks: 'the message rate limit is not enforced' },
  'evo-msg-rate-fixed-window': { rule: 'E10', level: 'should', breaks: 'the message rate limit counts fixed 1 s windows (up to 200 pass across a boundary)' },
  'evo-no-conn-limit': { rule: 'E10', level: 'must', breaks: 'the per-user connection limit is not enforced' },
  'evo-conn-limit-global': { rule: 'E10', level: 'must', breaks: 'the connection limit counts all users together' },
  'evo-no-byte-limit': { rule: 'E10', level: 'must', breaks: 'the per-connection data limit is not enforced' },
  'evo-byte-limit-no-close': { rule: 'E10', level: 'should', breaks: 'over the data limit the server sends RATE_LIMITED but does not close' },
  'evo-agent-code-ignored': { rule: 'E11', level: 'must', breaks: 'binary agent_code messages get no answer' },
  'evo-agent-code-own-reply': { rule: 'E11', level: 'should', breaks: 'an accepted agent_code is answered with {"type":"agent_code_ack"} instead of agent_update' },
  'evo-agent-code-bad-header-silent': { rule: 'E11', level: 'must', breaks: 'an agent_code whose header is not JSON gets no INVALID_COMMAND' },
  'evo-metrics-negative': { rule: 'E12,C5', level: 'must', breaks: 'metrics carry a negative cpu_usage' },
  'evo-alert-bad-severity': { rule: 'E12,C5', level: 'must', breaks: 'alerts carry severity "info"' },
  'evo-fitness-out-of-range': { rule: 'E12,C5', level: 'must', breaks: 'best_fitness is reported in percent (0..100)' },
} as const satisfies Record<string, FaultInfo>;

export type FaultName = keyof typeof FAULTS;

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}
