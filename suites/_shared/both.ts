// Kept only for suites/framing/_table.ts (issue 12, in progress), which still builds its cases by
// hand: cases are declared with defineCase (src/engine/define-case.ts; `protocols` + `key` for a
// table row). Delete this file once _table.ts uses defineCase.
export { ID_PREFIX } from '../../src/engine/define-case.js';
