// E9: `{"type":"error","error":{"code","message","details"?}}` with one of the seven codes.
import type { FaultName } from '../faults.js';
import type { Body } from './envelope.js';

export const ERROR_CODES = [
  'AUTH_FAILED',
  'UNAUTHORIZED',
  'EVOLUTION_FAILED',
  'AGENT_NOT_FOUND',
  'INVALID_COMMAND',
  'RATE_LIMITED',
  'CONSTRAINT_VIOLATION',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Why a client message had no effect; the session answers it with `error` (E9). */
export class Rejection {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly details?: Body,
    /** the message broke its schema (wrong type, enum, range) rather than a rule of the state */
    readonly schemaInvalid = false,
  ) {}
}

/** a schema-invalid client message → INVALID_COMMAND (E9) */
export const invalid = (message: string) => new Rejection('INVALID_COMMAND', message, undefined, true);

export const rejected = (code: ErrorCode, message: string, details?: Body) => new Rejection(code, message, details);

/** Client-supplied text quoted in an error message: short, and never the whole input (E9). */
export function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 61)}...` : value);
}

export function errorBody(
  has: (fault: FaultName) => boolean,
  code: ErrorCode,
  message: string,
  details?: Body,
): Body {
  // evo-invalid-command-other-code (E9 SHOULD): another of the seven codes instead of INVALID_COMMAND
  const chosen = code === 'INVALID_COMMAND' && has('evo-invalid-command-other-code') ? 'EVOLUTION_FAILED' : code;
  // evo-error-bad-code (E9, C5): a code outside the seven
  const error: Body = { code: has('evo-error-bad-code') ? 'BAD_REQUEST' : chosen, message };
  if (details) error['details'] = details;
  return { error };
}
