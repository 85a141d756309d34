// C3 faults: control frames and close codes.
import { faultSuite } from './helpers/fault-suite.js';

const FAMILY = ['pong-', 'close-', 'protocol-error-', 'utf8-', 'no-size-limit'];
faultSuite('control-frame and close-code faults', (name) => FAMILY.some((p) => name.startsWith(p)));
