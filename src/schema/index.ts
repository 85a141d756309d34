// The schema API every other part of wsconform uses: validators, arbitraries, manifests.
export {
  type AgentCode,
  /** E11: the JSON header of a binary agent_code message. */
  AGENT_CODE_HEADER_REF as EVOLUTION_AGENT_CODE_HEADER_REF,
  type BinaryFormat,
  decodeFramePayload,
  /** A6: the decoded payload of a binary simulation frame must be a valid simulation_frame payload. */
  FRAME_PAYLOAD_REF as ATHERIA_FRAME_PAYLOAD_REF,
  parseAgentCode,
  validateFrameBinary,
} from './binary.js';
export type { AtheriaManifest, Direction, EvolutionManifest, Manifest, ManifestOf } from './manifest.js';
export { loadManifest, PROTOCOLS } from './manifest.js';
export { type Message, type MessageResult, validateSequence } from './sequence.js';
export type * from './types.generated.js';
export {
  clientMessageTypes,
  messageTypeOf,
  schemaFor,
  schemaId,
  serverMessageTypes,
  validateClientMessage,
  validateRef,
  validateReceived,
  validateServerMessage,
} from './validate.js';
export { formatViolation } from './violations.js';
