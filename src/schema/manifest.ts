// Typed access to spec/<protocol>/protocol.json, the data every other part of wsconform reads
// instead of hard-coding protocol facts (paths, limits, channels, error codes, message files).
import { readFileSync } from 'node:fs';
import type { Protocol } from '../engine/types.js';
import { specPath } from '../util/package-root.js';

/** A message type name → schema file path relative to spec/<protocol>/. */
export type MessageFiles = Record<string, string>;

interface ManifestBase {
  title: string;
  path: string;
  /** `$id` prefix of this protocol's schemas, e.g. https://wsconform.dev/spec/atheria/ */
  schemaBase: string;
  limits: { maxMessageBytes: number } & Record<string, number>;
  serverMessages: MessageFiles;
  clientMessages: MessageFiles;
  /** the shared `defs` schema file */
  defs: string;
}

export interface AtheriaCommandInfo {
  schema: string;
  /** A3 lists it as required (set_binary is optional, A6) */
  required: boolean;
  /** the payload fields of the documented form (C7) */
  payloadRequired: string[];
}

export interface AtheriaManifest extends ManifestBase {
  protocol: 'atheria';
  auth: { modes: [] };
  initialState: { type: string; withinMs: number };
  commands: Record<string, AtheriaCommandInfo>;
  vizTypes: string[];
  fps: { exclusiveMinimum: number; maximum: number };
  statuses: { notification: string[]; inference: string[]; training: string[]; analysis: string[] };
  binary: {
    headerType: string;
    formats: ('msgpack' | 'cbor')[];
    legacyHeader: { type: string; flag: string };
    enableCommand: string;
    payloadRef: string;
  };
  legacyCommandForm: { scopeField: string; commandField: string; argsField: string };
}

export interface EvolutionManifest extends ManifestBase {
  protocol: 'evolution';
  version: string;
  auth: {
    modes: ('bearer-header' | 'auth-message')[];
    algorithms: string[];
    maxLeewaySeconds: number;
    authTimeoutMs: number;
    expiryCloseWithinSeconds: number;
    failedAuthCloseCode: number;
    failedAuthCloseWithinMs: number;
    message: { type: string; tokenField: string };
    ok: string;
    allowedBeforeAuth: string[];
  };
  heartbeat: {
    ping: string;
    pong: string;
    clientIntervalMs: number;
    replyWithinMs: number;
    idleCloseAfterMs: number;
  };
  /** channel name → the server message types it carries (E4) */
  channels: Record<string, string[]>;
  errorCodes: string[];
  controlActions: string[];
  commands: string[];
  limits: {
    messagesPerSecond: number;
    connectionsPerUser: number;
    bytesPerMinute: number;
    maxMessageBytes: number;
  };
  /** server message types a conforming server MAY never send (E2, E4) */
  optionalServerMessages: string[];
  binary: {
    clientAgentCode: { headerType: string; headerSchema: string; separator: number; maxBytes: number };
  };
}

export type Manifest = AtheriaManifest | EvolutionManifest;
export type ManifestOf<P extends Protocol> = P extends 'atheria' ? AtheriaManifest : EvolutionManifest;

const cache = new Map<Protocol, Manifest>();

/** spec/<protocol>/protocol.json, parsed once. */
export function loadManifest<P extends Protocol>(protocol: P): ManifestOf<P> {
  let m = cache.get(protocol);
  if (!m) {
    m = JSON.parse(readFileSync(specPath(protocol, 'protocol.json'), 'utf8')) as Manifest;
    if (m.protocol !== protocol)
      throw new Error(`spec/${protocol}/protocol.json names protocol '${m.protocol}'`);
    cache.set(protocol, m);
  }
  return m as ManifestOf<P>;
}

export const PROTOCOLS: readonly Protocol[] = ['atheria', 'evolution'];
export type Direction = 'server' | 'client';
