// Every common (C1–C4) case, imported directly (not through the registry), so that a case file
// that fails to load cannot hide them.
import type { CaseDefinition } from '../../src/engine/types.js';
import framingClose from '../../suites/framing/common-close.js';
import framingErrors from '../../suites/framing/common-protocol-errors.js';
import framingSize from '../../suites/framing/common-size-limit.js';
import framingUtf8 from '../../suites/framing/common-utf8.js';
import handshake from '../../suites/handshake/common-handshake.js';
import origin from '../../suites/handshake/common-origin.js';
import heartbeat from '../../suites/heartbeat/common-heartbeat.js';
import flood from '../../suites/security/common-flood.js';
import abuse from '../../suites/security/common-handshake-abuse.js';
import malformed from '../../suites/security/common-malformed.js';
import protoKeys from '../../suites/security/common-proto-keys.js';

export const COMMON_CASES: readonly CaseDefinition[] = [
  ...handshake,
  ...origin,
  ...heartbeat,
  ...framingClose,
  ...framingErrors,
  ...framingUtf8,
  ...framingSize,
  ...protoKeys,
  ...malformed,
  ...abuse,
  ...flood,
].flat();
