// C1, C2 faults change the handshake exactly as FAULTS.md says.
import { faultSuite } from './helpers/fault-suite.js';

faultSuite('handshake and origin faults', (name) => name.startsWith('handshake-') || name.startsWith('origin-'));
