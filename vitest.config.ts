import { defineConfig } from 'vitest/config';

/**
 * The end-to-end tier: whole `wsconform run`s against servers (the fault self-test, the fixture
 * servers at two concurrencies, hostile targets, the packed package, containers). Together they
 * take about 13 minutes on two cores, so `npm test` runs the rest — every module, the reference
 * server rule by rule on a manual clock, the reports, the bench units — in under two minutes, and
 * `npm run test:e2e` (run by CI after it) runs these.
 */
const E2E = [
  'test/faults/fault-*.test.ts',
  'test/faults/size-limit-input.test.ts',
  'test/suites/public-atheria.test.ts',
  'test/suites/independent-evolution*.test.ts',
  'test/suites/generic-framing.test.ts',
  'test/suites/generic-framing-faults.test.ts',
  'test/cli/scheduling.test.ts',
  'test/cli/target-state.test.ts',
  'test/cli/hostile-*.test.ts',
  'test/cli/wss-target.test.ts',
  'test/package/pack.test.ts',
  'test/package/action.test.ts',
  'test/container/**/*.test.ts',
  'test/bench/run.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: keep parallel files few so timing-sensitive protocol checks stay honest.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
