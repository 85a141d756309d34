import type { Protocol, ProtocolAdapter } from '../engine/types.js';
import { atheriaAdapter } from './atheria.js';
import { evolutionAdapter } from './evolution.js';
import { genericAdapter } from './generic.js';

export const ADAPTERS: Record<Protocol, ProtocolAdapter> = {
  atheria: atheriaAdapter,
  evolution: evolutionAdapter,
  generic: genericAdapter,
};

/** The protocol a URL's path implies (CLI-CONTRACT: /ws → atheria, /v1/evolution → evolution). */
export function protocolFromUrl(url: string): Protocol | undefined {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  // generic is never implied by a path: it is asked for with --protocol generic
  for (const adapter of [atheriaAdapter, evolutionAdapter])
    if (path === adapter.path) return adapter.protocol;
  return undefined;
}
