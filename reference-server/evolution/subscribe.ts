// E4 subscribe / unsubscribe and E5 filters. `channel` and `channels` may both be given (union);
// an unknown channel name gets INVALID_COMMAND naming it while the valid names still apply.
import { type Channel, type Filters, isChannel } from './channels.js';
import type { Evo } from './context.js';
import { invalid, quote, Rejection, rejected } from './errors.js';
import { isRecord, type Msg, own } from './read.js';
import type { Session } from './session.js';

interface ChannelRequest {
  valid: Channel[];
  unknown: string[];
  filters: Filters | undefined;
}

function readFilters(value: unknown): Filters | Rejection | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) return invalid('subscribe.filters must be an object');
  const generationMin = own(value, 'generation_min');
  const fitnessMin = own(value, 'fitness_min');
  if (generationMin !== undefined && !Number.isInteger(generationMin)) {
    return invalid('filters.generation_min must be an integer');
  }
  if (fitnessMin !== undefined && (typeof fitnessMin !== 'number' || !Number.isFinite(fitnessMin))) {
    return invalid('filters.fitness_min must be a number');
  }
  const filters: Filters = {};
  if (typeof generationMin === 'number') filters.generationMin = generationMin;
  if (typeof fitnessMin === 'number') filters.fitnessMin = fitnessMin;
  return filters;
}

function readChannels(evo: Evo, msg: Msg, verb: string): ChannelRequest | Rejection {
  const channel = own(msg, 'channel');
  const channels = own(msg, 'channels');
  if (channel === undefined && channels === undefined) return invalid(`${verb} needs "channel" or "channels"`);
  const names: string[] = [];
  if (channel !== undefined) {
    if (typeof channel !== 'string') return invalid(`${verb}.channel must be a string`);
    // evo-channel-singular-ignored (E4): only channels[] works
    if (!evo.has('evo-channel-singular-ignored')) names.push(channel);
  }
  if (channels !== undefined) {
    if (!Array.isArray(channels) || !channels.every((c) => typeof c === 'string')) {
      return invalid(`${verb}.channels must be an array of strings`);
    }
    names.push(...channels);
  }
  const filters = verb === 'subscribe' ? readFilters(own(msg, 'filters')) : undefined;
  if (filters instanceof Rejection) return filters;
  const unique = [...new Set(names)];
  return {
    valid: unique.filter(isChannel),
    unknown: unique.filter((n) => !isChannel(n)),
    filters,
  };
}

function unknownChannels(evo: Evo, unknown: string[]): Rejection | undefined {
  // evo-unknown-channel-silent (E4): no error for unknown names
  if (unknown.length === 0 || evo.has('evo-unknown-channel-silent')) return undefined;
  const shown = unknown.slice(0, 10).map((n) => n.slice(0, 64));
  return rejected('INVALID_COMMAND', `unknown channel ${shown.map(quote).join(', ')}`, { channels: shown });
}

export function subscribe(evo: Evo, session: Session, msg: Msg): Rejection | undefined {
  const req = readChannels(evo, msg, 'subscribe');
  if (req instanceof Rejection) return req;
  // evo-unknown-channel-drops-valid (E4): one unknown name voids the whole message
  if (req.unknown.length === 0 || !evo.has('evo-unknown-channel-drops-valid')) {
    for (const c of req.valid) evo.hub.subscribe(session, c);
    // E5: filters apply to the evolution channel; evo-filters-ignored drops them
    if (req.filters && req.valid.includes('evolution') && !evo.has('evo-filters-ignored')) {
      session.filters = req.filters;
    }
    session.send('subscribed', { data: { channels: req.valid } });
  }
  return unknownChannels(evo, req.unknown);
}

export function unsubscribe(evo: Evo, session: Session, msg: Msg): Rejection | undefined {
  const req = readChannels(evo, msg, 'unsubscribe');
  if (req instanceof Rejection) return req;
  // evo-unsubscribe-ignored (E4): acknowledged, but delivery goes on
  if (!evo.has('evo-unsubscribe-ignored')) {
    for (const c of req.valid) evo.hub.unsubscribe(session, c);
    if (req.valid.includes('evolution')) session.filters = undefined;
  }
  session.send('unsubscribed', { data: { channels: req.valid } });
  return unknownChannels(evo, req.unknown);
}
