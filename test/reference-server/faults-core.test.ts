// The server-core faults (C1 handshake, C2 origin, C3 control frames and close codes, C4 crash and
// stall) each change the behaviour exactly as FAULTS.md says.
import { faultSuite } from './helpers/fault-suite.js';

const FRAMES = ['pong-', 'close-', 'protocol-error-', 'utf8-', 'no-size-limit'];

faultSuite(
  'C1/C2 handshake and origin faults',
  (name) => name.startsWith('handshake-') || name.startsWith('origin-'),
);
faultSuite('C3 control-frame and close-code faults', (name) => FRAMES.some((p) => name.startsWith(p)));
faultSuite('C4 crash and stall faults', (name) => name.startsWith('crash-') || name.startsWith('stall-'), {
  concurrent: false,
});
