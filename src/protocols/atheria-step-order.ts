import type { Violation } from '../engine/types.js';

// Profile A5, checked on every connection for the whole run (like C5), not only inside the short
// window of one case: `step` strictly increases across the simulation_frames of one connection,
// except that a successful load_experiment MAY restart it.
//
// A connection cannot tell whose load_experiment restarted a shared simulation (A0), so a restart
// is recognised by where the step lands: at most RESTART_MAX_STEP (a fresh experiment's first
// frames). A step that goes back anywhere else is a MUST violation. A frame that repeats the
// previous step (the public backend re-sends the current frame after set_viz) breaks "strictly"
// only as the profile's own reading of the seed, so it is a SHOULD (spec/atheria/DECISIONS.md).

/** The highest step a restarted simulation is taken to land on. */
export const RESTART_MAX_STEP = 10;

export interface StepOrder {
  /** the violation the frame with this step makes, if any */
  see(step: number): Violation | null;
}

export function stepOrder(): StepOrder {
  let last: number | undefined;
  return {
    see(step) {
      const previous = last;
      last = step;
      if (previous === undefined || step > previous) return null;
      const base = {
        messageType: 'simulation_frame',
        instancePath: '/payload/step',
        schemaPath: '',
        rule: 'A5',
      };
      if (step === previous) {
        return {
          ...base,
          level: 'should',
          message: `step ${step} repeats the previous frame's step (A5: strictly increasing)`,
        };
      }
      if (step <= RESTART_MAX_STEP) return null;
      return {
        ...base,
        message: `step went back from ${previous} to ${step} (A5: strictly increasing; a restart lands at ≤ ${RESTART_MAX_STEP})`,
      };
    },
  };
}
