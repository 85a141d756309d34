// Conformance of your WebSocket server as part of your own vitest suite: one vitest test per
// wsconform case, in `vitest run`, watch mode and the UI. A failing case fails its test with the
// rule, the findings and the transcript in the message.
//
//   npm i -D wsconform vitest
//   cp node_modules/wsconform/examples/vitest/conformance.test.ts test/
//   WSCONFORM_TARGET=ws://127.0.0.1:8000/ws WSCONFORM_JWT_SECRET=... npx vitest run test/conformance.test.ts
//
// Start your server first (a vitest globalSetup file is a good place), or point the target at a
// running one. conformanceTests() must be awaited at the top level of the file: vitest registers
// tests while it loads the file, and the list of cases is read then (no target is reached for it).
import { conformanceTests } from 'wsconform/vitest';

await conformanceTests({
  // the options are those of `wsconform run`, in camelCase (README, "Programmatic API")
  target: process.env.WSCONFORM_TARGET ?? 'ws://127.0.0.1:8000/ws',
  // the server's HS256 secret: without it the authentication cases are skipped (unimplemented)
  jwtSecret: process.env.WSCONFORM_JWT_SECRET,
  // an origin on the server's allow-list: without it the origin cases are skipped
  originAllowed: process.env.WSCONFORM_ORIGIN ?? 'https://app.example.com',
  // a few suites keep the file fast; leave it out for all of them
  suite: process.env.WSCONFORM_SUITES ?? 'handshake,heartbeat',
  // known deviations: skipped with their reason instead of failing
  // expectedFailures: { 'ATH-HEARTBEAT-002': 'pong is sent late, fixed in 2.3' },
  // SHOULDs not met fail too (otherwise they pass with a warning annotation)
  strict: process.env.WSCONFORM_STRICT === '1',
  // also write the report folder (report.json, junit.xml, index.html, summary.md)
  // out: 'wsconform-report',
});
