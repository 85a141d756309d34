// Profile C6: in a received message an optional field whose value is null counts as absent; a
// required field that is null is still a type violation.
import { describe, expect, it } from 'vitest';
import { validateReceived, validateServerMessage } from '../../src/schema/index.js';

const frame = (payload: Record<string, unknown>) => ({
  type: 'simulation_frame',
  payload: {
    step: 1,
    simulation_info: { step: 1, is_paused: false, fps: 30, live_feed_enabled: true },
    map_data: [[0, 1]],
    ...payload,
  },
});

describe('C6: null counts as absent for optional fields of received messages', () => {
  it('accepts flow_data: null and timestamp: null (optional, as the public backend sends them)', () => {
    expect(validateReceived('atheria', frame({ flow_data: null, timestamp: null }))).toEqual([]);
    expect(validateServerMessage('atheria', frame({ flow_data: null }))).toEqual([]);
  });

  it('still rejects a wrongly typed optional field that is not null', () => {
    expect(validateReceived('atheria', frame({ timestamp: 'soon' }))).not.toEqual([]);
  });

  it('rejects a required field that is null, naming the field', () => {
    const v = validateReceived('atheria', frame({ step: null }));
    expect(v.length).toBeGreaterThan(0);
    expect(v.some((x) => x.instancePath === '/payload/step' && /null/.test(x.message))).toBe(true);
  });

  it('keeps reporting other violations next to a null optional field', () => {
    const v = validateReceived('atheria', frame({ flow_data: null, step: -1 }));
    expect(v.map((x) => x.instancePath)).toEqual(['/payload/step']);
  });

  it('evolution: an optional envelope id that is null is absent; a null required data field is not', () => {
    const pong = { type: 'pong', timestamp: 5, id: null };
    expect(validateReceived('evolution', pong)).toEqual([]);
    expect(validateReceived('evolution', { type: 'pong', timestamp: null })).not.toEqual([]);
  });
});
