// The Atheria endpoint (seed atheria-websocket-protocol.md, profile A0–A8) mounted by the shared
// server at /ws: one field simulation shared by all connections, streamed as simulation_frame
// (JSON, or msgpack/CBOR binary per connection).

import type { EndpointFactory } from '../endpoint.js';
import { handleConnection } from './connection.js';
import { AtheriaWorld } from './world.js';

export const ATHERIA_PATH = '/ws';

export const createAtheriaEndpoint: EndpointFactory = (ctx) => {
  const world = new AtheriaWorld(ctx);
  return {
    path: ATHERIA_PATH,
    onConnection: (ws, _req, _accepted, id) => handleConnection(world, ws, id),
    close: () => world.close(),
  };
};
