// A3 set_fps: the rate a case requests. It must be at least a factor of 2 away from every rate the
// simulation was seen at (issue 9 §5) — what the frames report in simulation_info.fps AND the
// rate they arrive at, which differ on a server that reports a fixed or measured value — and
// within (0, 120], so that a server that ignores set_fps cannot pass by luck.

/** The factor between a seen rate and the requested one: 2 is the floor, 2.5 leaves a margin. */
export const FPS_FACTOR = 2.5;

/**
 * Above the fastest rate seen when that fits in 120 (the target is then never slowed down by the
 * case), else below the slowest.
 */
export function pickFps(seen: readonly number[]): number {
  if (seen.length === 0) throw new Error('pickFps needs at least one observed rate');
  const hi = Math.max(...seen);
  const lo = Math.min(...seen);
  const up = Math.ceil(hi * FPS_FACTOR);
  if (up <= 120) return up;
  return Math.max(0.1, Math.floor((lo / FPS_FACTOR) * 10) / 10);
}
