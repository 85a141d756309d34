import { describe, expect, it } from 'vitest';
import { fpsToRestore } from '../../src/protocols/atheria-state.js';

describe('fpsToRestore (issue 9 §6: the fps put back never drifts)', () => {
  it('reads a stated measured rate at its setting, whichever way its timer jittered', () => {
    expect(fpsToRestore(undefined, { reported: 9.96 })).toBe(10);
    expect(fpsToRestore(undefined, { reported: 9.6 })).toBe(10);
    expect(fpsToRestore(undefined, { reported: 10.1 })).toBe(10);
    expect(fpsToRestore(undefined, { reported: 29.4 })).toBe(30);
  });

  it('prefers what the server states to what the harness measures from arrival times', () => {
    // a loaded machine bunches frames up: 12/s measured for a server stating 10
    expect(fpsToRestore(undefined, { reported: 10, measured: 12.3 })).toBe(10);
    expect(fpsToRestore(10, { measured: 12.3 })).toBe(10);
    expect(fpsToRestore(undefined, { measured: 12.3 })).toBe(13);
  });

  it('never puts back less than the larger stated value, and stays in (0, 120]', () => {
    expect(fpsToRestore(30, { reported: 10 })).toBe(30);
    expect(fpsToRestore(undefined, { reported: 0.5 })).toBe(0.5);
    expect(fpsToRestore(undefined, { reported: 1.1 })).toBe(1);
    expect(fpsToRestore(undefined, { reported: 120 })).toBe(120);
    expect(fpsToRestore(undefined, {})).toBeUndefined();
  });
});
