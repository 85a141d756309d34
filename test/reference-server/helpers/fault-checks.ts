// One check per reference-server fault (except ath-*, owned by the Atheria endpoint): it resolves
// against a correct server and rejects against a server with that fault, proving that the fault
// breaks its rule. `opts` are the server settings the check needs (the same for both runs).
import type { FaultName } from '../../../reference-server/faults.js';
import { CORE_CHECKS } from './fault-checks-core.js';
import { EVOLUTION_CHECKS } from './fault-checks-evolution.js';
import type { FaultCheck } from './fault-probes.js';

export const FAULT_CHECKS: Partial<Record<FaultName, FaultCheck>> = { ...CORE_CHECKS, ...EVOLUTION_CHECKS };

/** the faults this helper owns: everything but the Atheria endpoint's ath-* */
export const isServerCoreFault = (name: string) => !name.startsWith('ath-');
