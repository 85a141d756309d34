// Evolution faults of E4 (channels), E5 (filters), E6 (control), E7 (get_agent), E8 (rollback).
import { faultSuite, ruleOf } from './helpers/fault-suite.js';

faultSuite(
  'evolution E4–E8 faults',
  (name, info) => name.startsWith('evo-') && ['E4', 'E5', 'E6', 'E7', 'E8'].includes(ruleOf(info)),
);
