// C4 faults: the server crashes or stalls, and the canary notices.
import { faultSuite } from './helpers/fault-suite.js';

faultSuite('crash and stall faults', (name) => name.startsWith('crash-') || name.startsWith('stall-'), { concurrent: false });
