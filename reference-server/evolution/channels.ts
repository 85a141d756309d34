// E4: the channels of the evolution endpoint and the event types each carries
// (spec/evolution/protocol.json `channels`).
export const CHANNELS = ['evolution', 'agents', 'metrics', 'alerts', 'logs', 'control'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(name: string): name is Channel {
  return (CHANNELS as readonly string[]).includes(name);
}

/** E5: filters of the evolution channel; an absent field does not filter. */
export interface Filters {
  generationMin?: number;
  fitnessMin?: number;
}

/** E5: does an evolution_update meet every filter? (fitness_min is compared with best_fitness) */
export function passes(filters: Filters | undefined, generation: number, bestFitness: number): boolean {
  if (!filters) return true;
  if (filters.generationMin !== undefined && generation < filters.generationMin) return false;
  if (filters.fitnessMin !== undefined && bestFitness < filters.fitnessMin) return false;
  return true;
}
