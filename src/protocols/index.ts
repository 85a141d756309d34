import type { Protocol, ProtocolAdapter } from '../engine/types.js';
import { atheriaAdapter } from './atheria.js';
import { evolutionAdapter } from './evolution.js';

export const ADAPTERS: Record<Protocol, ProtocolAdapter> = {
  atheria: atheriaAdapter,
  evolution: evolutionAdapter,
};

/** The protocol a URL's path implies (CLI-CONTRACT: /ws → atheria, /v1/evolution → evolution). */
export function protocolFromUrl(url: string): Protocol | undefined {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  for (const adapter of Object.values(ADAPTERS)) if (path === adapter.path) return adapter.protocol;
  return undefined;
}
