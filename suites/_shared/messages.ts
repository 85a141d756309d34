// Protocol-specific message text for the common cases. Kept here (not imported from the protocol
// helpers' files, written in parallel) and limited to what C3/C4 need.
import type { Protocol } from '../../src/engine/types.js';

/**
 * A harmless JSON text message of exactly `bytes` bytes (ASCII padding in an extra field, which C6
 * says is tolerated): Evolution gets an application ping (allowed before auth, E2/E3); Atheria an
 * unknown command, which A4 says keeps the connection open.
 */
export function paddedMessage(protocol: Protocol, bytes: number): string {
  const head =
    protocol === 'evolution'
      ? `{"type":"ping","timestamp":${Date.now()},"pad":"`
      : '{"type":"wsconform.noop","payload":{},"pad":"';
  const tail = '"}';
  const fill = bytes - head.length - tail.length;
  if (fill < 0)
    throw new RangeError(`a padded message cannot be shorter than ${head.length + tail.length} bytes`);
  return head + 'a'.repeat(fill) + tail;
}

/**
 * The case that checks that `paddedMessage` is harmless: an unknown Atheria command keeps the
 * connection open (A4, ATH-ERRORS-001), an Evolution ping gets its pong (E3, EVO-HEARTBEAT-001).
 * Named by cases that need the message accepted but test something else.
 */
export function paddedMessageCase(protocol: Protocol): string {
  return protocol === 'evolution' ? 'EVO-HEARTBEAT-001' : 'ATH-ERRORS-001';
}
