// Broadcast path: a subscriber that does not read is skipped once its unsent data passes the cap
// (counted in frames_dropped_total), and the other subscribers keep receiving (C4: no stall).
import { expect, it } from 'vitest';
import { createEvolutionEndpointWith } from '../../reference-server/evolution/index.js';
import { resolveOptions } from '../../reference-server/options.js';
import { createReferenceServer } from '../../reference-server/server.js';
import { authed, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { frame, rawWebSocket } from './helpers/raw.js';
import { EVO, GENERATION_MS, SECRET } from './helpers/server.js';
import { token } from './helpers/tokens.js';

useSchemaCheck();

it('a subscriber that stops reading is skipped; the others keep receiving', async () => {
  // generations are produced as fast as the test moves this clock on
  const clock = new ManualClock();
  const options = resolveOptions({
    jwtSecret: SECRET,
    generationMs: GENERATION_MS,
    rateMsgs: 100_000,
    clock,
  });
  const server = await createReferenceServer(options, [
    createEvolutionEndpointWith({ slowClientBytes: 16 * 1024 }),
  ]);
  try {
    const slow = await rawWebSocket(server.port, EVO);
    slow.write(frame({ opcode: 0x1, payload: JSON.stringify({ type: 'auth', token: await token('slow') }) }));
    slow.write(
      frame({
        opcode: 0x1,
        payload: JSON.stringify({ type: 'subscribe', channels: ['evolution', 'agents', 'logs'] }),
      }),
    );
    slow.socket.pause();
    // ~6 MB of direct answers fill the kernel buffers of the non-reading client quickly
    const ask = frame({ opcode: 0x1, payload: JSON.stringify({ type: 'get_agent', agent_id: 'agent-1' }) });
    slow.write(Buffer.concat(Array.from({ length: 25_000 }, () => ask)));
    const fast = await authed(server.url(EVO), await token('fast'));
    fast.send({ type: 'subscribe', channel: 'evolution' });
    const started = Date.now();
    await clock.until(() => server.metrics.framesDropped > 0, GENERATION_MS, 300_000);
    expect(server.metrics.framesDropped).toBeGreaterThan(0);
    fast.skip();
    clock.advance(GENERATION_MS);
    await fast.next('evolution_update', 1000);
    const text = await (await fetch(server.httpUrl('/metrics'))).text();
    expect(Number(/^wsconform_frames_dropped_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    console.log(`slow client: first broadcast skipped after ${Date.now() - started} ms`);
    fast.close();
    slow.destroy();
  } finally {
    await server.close();
  }
}, 30_000);
