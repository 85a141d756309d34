// Evolution faults of E9 (errors), E10 (rate limits), E11 (binary), E12 (values).
import { faultSuite, ruleOf } from './helpers/fault-suite.js';

faultSuite(
  'evolution E9–E12 faults',
  (name, info) => name.startsWith('evo-') && ['E9', 'E10', 'E11', 'E12'].includes(ruleOf(info)),
);
