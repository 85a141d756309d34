// Evolution faults of E1 (envelope), E2 (authentication), E3 (heartbeat).
import { faultSuite, ruleOf } from './helpers/fault-suite.js';

faultSuite(
  'evolution E1–E3 faults',
  (name, info) => name.startsWith('evo-') && ['E1', 'E2', 'E3'].includes(ruleOf(info)),
);
