// A5 run-wide: steps strictly increase on a connection; a restart (load_experiment) lands low.
import { describe, expect, it } from 'vitest';
import type { Received } from '../../src/engine/types.js';
import { atheriaAdapter } from '../../src/protocols/atheria.js';
import { RESTART_MAX_STEP, stepOrder } from '../../src/protocols/atheria-step-order.js';

const frame = (step: number): Received => {
  const json = {
    type: 'simulation_frame',
    payload: { step, simulation_info: { step, is_paused: false, fps: 30, live_feed_enabled: true }, map_data: [[0]] },
  };
  return { t: 0, kind: 'text', text: JSON.stringify(json), json, type: 'simulation_frame' };
};

describe('stepOrder (A5)', () => {
  it('accepts increasing steps, with gaps', () => {
    const s = stepOrder();
    expect([5, 6, 9, 100].map((n) => s.see(n))).toEqual([null, null, null, null]);
  });

  it('a step that goes back by a little, once in dozens of frames, is a MUST violation', () => {
    const s = stepOrder();
    const found = [];
    for (let step = 20; step < 80; step++) found.push(s.see(step === 50 ? 47 : step));
    const broken = found.filter((v) => v !== null);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({ rule: 'A5', instancePath: '/payload/step' });
    expect(broken[0]?.level).toBeUndefined();
    expect(broken[0]?.message).toMatch(/from 49 to 47/);
  });

  it('a restart to a low step (load_experiment) is allowed; a repeated step is a SHOULD', () => {
    const s = stepOrder();
    expect(s.see(500)).toBeNull();
    expect(s.see(RESTART_MAX_STEP)).toBeNull();
    expect(s.see(RESTART_MAX_STEP)).toMatchObject({ rule: 'A5', level: 'should' });
  });

  it('the adapter checks every connection on its own', () => {
    const a = atheriaAdapter.inboundChecker();
    const b = atheriaAdapter.inboundChecker();
    expect(a.inbound(frame(40))).toEqual([]);
    expect(b.inbound(frame(30))).toEqual([]);
    expect(a.inbound(frame(35)).map((v) => v.rule)).toEqual(['A5']);
    expect(b.inbound(frame(31))).toEqual([]);
  });
});
