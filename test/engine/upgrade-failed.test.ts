import { expect, it } from 'vitest';
import { upgradeFailed } from '../../src/engine/upgrade-failed.js';

it('a canary refused by policy (401, 403) does not stop the other cases; no answer, 500, a bad 101 does', () => {
  expect([401, 403].map(upgradeFailed)).toEqual([false, false]);
  // 0: no HTTP answer (timeout, reset, garbage); 101: a 101 ws refused (wrong accept)
  expect([0, 101, 400, 404, 426, 500, 503].map(upgradeFailed)).toEqual([true, true, true, true, true, true, true]);
});
