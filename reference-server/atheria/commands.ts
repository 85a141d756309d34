// The client commands (A3 required set plus simulation.set_binary of A6) and their observable
// effects. Looked up in a Map by "scope.command", never by indexing an object with a client
// string (C4). Every argument is type-checked; a wrong type is answered by notification error.

import { BINARY_FORMATS } from './codec.js';
import { EXPERIMENTS } from './experiments.js';
import { inferenceStatus, notification, quote } from './messages.js';
import { type Args, own } from './parse.js';
import type { Session } from './session.js';
import { ENERGY_TYPES, isEnergyType } from './simulation.js';
import { VIZ_TYPES } from './viz.js';
import type { AtheriaWorld } from './world.js';

type Handler = (world: AtheriaWorld, session: Session, args: Args) => void;

const FPS_MAX = 120;
const AMOUNT_MAX = 10;

function ok(world: AtheriaWorld, s: Session, message: string): void {
  s.send(notification('success', message, world.has));
}

function fail(world: AtheriaWorld, s: Session, message: string): void {
  s.send(notification('error', message, world.has));
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

// A3: play/pause → inference_status_update to the sender; to every viewer of the shared
// simulation only when the state changes (N clients each sending play must not cost N² messages).
const play: Handler = (world, sender) => {
  const changed = world.play();
  if (world.has('ath-play-no-status')) return;
  if (changed) world.broadcast((s) => inferenceStatus(true, world.info(s.liveFeed), world.has));
  else sender.send(inferenceStatus(true, world.info(sender.liveFeed), world.has));
};

const pause: Handler = (world, sender) => {
  const changed = world.pause();
  if (changed) world.broadcast((s) => inferenceStatus(false, world.info(s.liveFeed), world.has));
  else sender.send(inferenceStatus(false, world.info(sender.liveFeed), world.has));
};

const loadExperiment: Handler = (world, s, args) => {
  const name = own(args, 'experiment_name');
  if (typeof name !== 'string' || name === '') {
    return fail(world, s, 'load_experiment needs "experiment_name", the name of a listed experiment');
  }
  const experiment = EXPERIMENTS.get(name);
  if (!experiment) {
    // ath-load-unknown-success (A3): an unknown name is "loaded"
    if (world.has('ath-load-unknown-success')) return ok(world, s, `experiment ${quote(name)} loaded`);
    return fail(world, s, `unknown experiment ${quote(name)}; known: ${[...EXPERIMENTS.keys()].join(', ')}`);
  }
  world.load(experiment);
  ok(world, s, `experiment ${quote(name)} loaded`);
};

const setViz: Handler = (world, s, args) => {
  const viz = own(args, 'viz_type');
  if (typeof viz !== 'string') return fail(world, s, 'set_viz needs "viz_type", a string');
  if (!VIZ_TYPES.has(viz)) {
    // ath-viz-unknown-silent (A3 SHOULD): answered as if it were known (the viz stays as it was)
    if (world.has('ath-viz-unknown-silent')) return ok(world, s, `visualization set to ${quote(viz)}`);
    return fail(world, s, `unknown viz_type ${quote(viz)}; known: ${[...VIZ_TYPES].join(', ')}`);
  }
  world.viz = viz;
  ok(world, s, `visualization set to ${quote(viz)}`);
};

const injectEnergy: Handler = (world, s, args) => {
  // A3: documented {energy_type, amount}; the public code reads {type}: both are accepted
  const documented = own(args, 'energy_type');
  // ath-inject-energy-error (A3): the documented form is refused, as if only {type} were known
  if (documented !== undefined && world.has('ath-inject-energy-error')) {
    return fail(world, s, 'inject_energy: unexpected "energy_type"');
  }
  // C7: the documented form needs both fields; the public code's {type} form alone implies amount 1
  const legacyKind = own(args, 'type');
  if (documented === undefined && legacyKind === undefined) {
    return fail(world, s, 'inject_energy needs {"energy_type", "amount"} (or the public code\'s {"type"})');
  }
  const kind = documented ?? legacyKind;
  if (!isEnergyType(kind)) {
    const shown = typeof kind === 'string' ? quote(kind) : `of type ${typeof kind}`;
    return fail(world, s, `unknown energy_type ${shown}; known: ${[...ENERGY_TYPES].join(', ')}`);
  }
  const amount = own(args, 'amount') ?? (documented === undefined ? 1 : undefined);
  if (!isFiniteNumber(amount) || amount <= 0 || amount > AMOUNT_MAX) {
    return fail(world, s, `inject_energy "amount" must be a number in (0, ${AMOUNT_MAX}]`);
  }
  world.sim.inject(kind, amount);
  ok(world, s, `injected ${kind} (amount ${amount})`);
};

const setFps: Handler = (world, s, args) => {
  const fps = own(args, 'fps');
  if (!isFiniteNumber(fps) || fps <= 0 || fps > FPS_MAX) {
    return fail(world, s, `set_fps "fps" must be a number in (0, ${FPS_MAX}]`);
  }
  world.setFps(fps);
  ok(world, s, `fps set to ${fps}`);
};

const setLiveFeed: Handler = (world, s, args) => {
  const enabled = own(args, 'enabled');
  if (typeof enabled !== 'boolean') return fail(world, s, 'set_live_feed needs "enabled", a boolean');
  // ath-live-feed-ignored (A3): the answer says yes, the frames keep coming
  if (!world.has('ath-live-feed-ignored')) {
    s.liveFeed = enabled;
    s.update();
  }
  ok(world, s, `live feed ${enabled ? 'enabled' : 'disabled'}`);
};

const setBinary: Handler = (world, s, args) => {
  const enabled = own(args, 'enabled');
  if (typeof enabled !== 'boolean') return fail(world, s, 'set_binary needs "enabled", a boolean');
  const requested = own(args, 'format') ?? 'msgpack';
  const format = typeof requested === 'string' ? BINARY_FORMATS.get(requested) : undefined;
  // a bad format is an error whether enabling or disabling: the command as sent is invalid
  if (!format) return fail(world, s, 'set_binary "format" must be "msgpack" or "cbor"');
  // A6: answered first, so the success precedes the first binary frame
  ok(world, s, enabled ? `binary frames enabled (${format})` : 'binary frames disabled');
  s.format = enabled && format ? format : 'json';
  s.update();
};

export const COMMANDS: ReadonlyMap<string, Handler> = new Map([
  ['inference.play', play],
  ['inference.pause', pause],
  ['inference.load_experiment', loadExperiment],
  ['inference.set_viz', setViz],
  ['inference.inject_energy', injectEnergy],
  ['simulation.set_fps', setFps],
  ['simulation.set_live_feed', setLiveFeed],
  ['simulation.set_binary', setBinary],
]);

export const SCOPES: ReadonlySet<string> = new Set(
  [...COMMANDS.keys()].map((k) => k.slice(0, k.indexOf('.'))),
);
