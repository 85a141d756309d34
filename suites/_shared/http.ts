// Small helpers for judging HTTP answers to upgrade requests (RFC 6455 §4.1, §4.2). The handshake
// arithmetic itself (key, accept) lives in src/wire/http-head.ts and is reused from there.
import type { CaseContext } from '../../src/engine/types.js';

/** The comma-separated tokens of a header value, trimmed and lower-cased. */
export function tokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

/**
 * The Origin header a client of the target sends: the run's allowed origin when it has one (C2), so
 * that a case about another rule never depends on how the server treats an upgrade without Origin
 * (…-HANDSHAKE-110 checks that). Cases about origins set the header themselves.
 */
export function originHeaders(ctx: CaseContext): Record<string, string> {
  const origin = ctx.config.originAllowed;
  return origin === undefined ? {} : { Origin: origin };
}

/** The target's path (no query): every case derives paths from ctx.target, never hard-codes them. */
export function targetPathname(ctx: CaseContext): string {
  return new URL(ctx.target.url).pathname;
}

export function isClientError(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status <= 499;
}

/** "HTTP 404", or "no HTTP answer" for reasons. */
export function describeStatus(res: { status: number } | null): string {
  return res === null || res.status === 0 ? 'no HTTP answer' : `HTTP ${res.status}`;
}
