// E9: the error format, and that unknown types, non-JSON text and schema-invalid client messages
// get INVALID_COMMAND, have no effect, and leave the connection open. Generations run on a
// manual clock that the tests move on.
import { describe, expect, it } from 'vitest';
import { authed, type Msg, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, GENERATION_MS, useServer } from './helpers/server.js';

useSchemaCheck();
const clock = new ManualClock();
const srv = useServer({ clock });
const CODES = [
  'AUTH_FAILED',
  'UNAUTHORIZED',
  'EVOLUTION_FAILED',
  'AGENT_NOT_FOUND',
  'INVALID_COMMAND',
  'RATE_LIMITED',
  'CONSTRAINT_VIOLATION',
];
const err = (m: Msg) => m['error'] as { code: string; message: string; details?: unknown };

describe('E9 errors', () => {
  it('unknown type, non-JSON and schema-invalid messages: INVALID_COMMAND, connection open', async () => {
    const c = await authed(srv().url(EVO), await token('err'));
    const inputs = [
      JSON.stringify({ type: 'launch_missiles' }),
      JSON.stringify({ type: 'Subscribe', channel: 'evolution' }),
      '{"type":"ping"',
      'hello',
      JSON.stringify({ type: 'subscribe', channels: [1] }),
      JSON.stringify({ type: 'control', action: 'pause', parameters: { population_size: -5 } }),
      JSON.stringify({ type: 'get_agent', agent_id: ['agent-1'] }),
      JSON.stringify({ type: 'command', cmd: 'rollback', args: 'latest' }),
    ];
    for (const text of inputs) {
      c.sendText(text);
      const m = await c.next('error');
      expect(err(m).code, text).toBe('INVALID_COMMAND');
      expect(typeof err(m).message).toBe('string');
      expect(err(m).message.length).toBeGreaterThan(0);
    }
    expect(c.isOpen).toBe(true);
    // none had an effect: no subscription, the run was not paused
    const from = c.messages.length;
    clock.advance(15 * GENERATION_MS);
    await c.sync();
    expect(c.messages.slice(from).filter((m) => m.type !== 'error')).toEqual([]);
    c.send({ type: 'subscribe', channel: 'evolution' });
    await c.next('subscribed');
    clock.advance(GENERATION_MS);
    await c.next('evolution_update');
    c.close();
  });

  it('the unknown type is named in the message', async () => {
    const c = await authed(srv().url(EVO), await token('err'));
    c.send({ type: 'launch_missiles' });
    expect(err(await c.next('error')).message).toContain('launch_missiles');
    c.close();
  });

  it('every error has a known code, a string message, no stack trace', async () => {
    const c = await authed(srv().url(EVO), await token('err'));
    c.send({ type: 'nope' });
    c.send({ type: 'get_agent', agent_id: 'x' });
    c.sendText('{');
    for (let i = 0; i < 3; i++) {
      const m = await c.next('error');
      expect(Object.keys(m).sort()).toEqual(['error', 'id', 'timestamp', 'type']);
      expect(CODES).toContain(err(m).code);
      expect(err(m).message).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
    }
    c.close();
  });
});
