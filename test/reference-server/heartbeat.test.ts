// E3: application ping → pong echoing the numeric timestamp within 1 s, authenticated or not.
import { describe, expect, it } from 'vitest';
import { authed, Client, useSchemaCheck } from './helpers/client.js';
import { token } from './helpers/tokens.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const srv = useServer();

describe('E3 heartbeat', () => {
  it('an unauthenticated ping gets a pong with the same numeric timestamp within 1 s', async () => {
    const c = await Client.open(srv().url(EVO));
    const ts = Date.now();
    c.send({ type: 'ping', timestamp: ts });
    const pong = await c.next('pong', 1000);
    expect(pong['timestamp']).toBe(ts);
    expect(typeof pong['id']).toBe('string');
    expect(Date.now() - ts).toBeLessThan(1000);
    c.close();
  });

  it('an authenticated ping is answered the same way, in order', async () => {
    const c = await authed(srv().url(EVO), await token('beat'));
    for (let i = 0; i < 20; i++) c.send({ type: 'ping', timestamp: 1_704_067_200_000 + i });
    for (let i = 0; i < 20; i++) expect((await c.next('pong'))['timestamp']).toBe(1_704_067_200_000 + i);
    c.close();
  });

  it('accepts the timestamp wrapped in data, and optional id (E1)', async () => {
    const c = await Client.open(srv().url(EVO));
    c.send({ type: 'ping', id: 'p1', data: { timestamp: 123.5 } });
    expect((await c.next('pong'))['timestamp']).toBe(123.5);
    c.close();
  });

  it('a ping without a numeric timestamp is schema-invalid: INVALID_COMMAND, no pong (E9)', async () => {
    const c = await Client.open(srv().url(EVO));
    c.send({ type: 'ping' });
    c.send({ type: 'ping', timestamp: '2024-01-01T00:00:00Z' });
    for (let i = 0; i < 2; i++)
      expect(((await c.next('error'))['error'] as { code: string }).code).toBe('INVALID_COMMAND');
    c.send({ type: 'ping', timestamp: 3 });
    expect((await c.next('pong'))['timestamp']).toBe(3);
    expect(c.messages.filter((m) => m.type === 'pong')).toHaveLength(1);
    c.close();
  });
});
