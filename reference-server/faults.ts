// Fault switches of the reference server (`wsconform serve --fault NAME`). The catalog is data,
// spec/faults.json (read through src/schema/faults.ts): each fault breaks exactly one rule of the
// conformance profile (spec/PROFILE.md) so that the fault self-test can prove the cases citing
// that rule fail. FAULTS.md is generated from it (faults-doc.ts).
export { FAULTS, type FaultInfo, type FaultName, isFaultName } from '../src/schema/faults.js';
