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
