// E7 get_agent and E11 binary agent_code: agent_update to the asking connection, or
// AGENT_NOT_FOUND with details.agent_id; bad headers → INVALID_COMMAND; over 1 MiB → 1009.
import { describe, expect, it } from 'vitest';
import { authed, type Msg, useSchemaCheck } from './helpers/client.js';
import { ManualClock } from './helpers/manual-clock.js';
import { token } from './helpers/tokens.js';
import { EVO, GENERATION_MS, useServer } from './helpers/server.js';

useSchemaCheck();
// agent_update events come as the tests move this clock on (no assertion depends on how far)
const clock = new ManualClock();
const srv = useServer({ clock });
const open = async (user = 'agents') => authed(srv().url(EVO), await token(user));
const data = (m: Msg) => m['data'] as Record<string, unknown>;
const err = (m: Msg) => m['error'] as { code: string; message: string; details?: Record<string, unknown> };
const agentCode = (header: unknown, code: string | Buffer) =>
  Buffer.concat([
    Buffer.from(typeof header === 'string' ? header : JSON.stringify(header)),
    Buffer.from([0x0a]),
    Buffer.from(code),
  ]);

describe.concurrent('E7 get_agent', () => {
  it('an existing agent is answered with agent_update to the asking connection only', async () => {
    const asker = await open();
    const bystander = await open('bystander');
    asker.send({ type: 'get_agent', agent_id: 'agent-1' });
    const u = await asker.next('agent_update');
    expect(data(u)).toMatchObject({ agent_id: 'agent-1', status: 'evolving' });
    expect(typeof data(u)['fitness']).toBe('number');
    await bystander.sync();
    expect(bystander.messages.filter((m) => m.type === 'agent_update')).toEqual([]);
    asker.close();
    bystander.close();
  });

  it('every agent seen in agent_update events can be fetched', async () => {
    const c = await open();
    c.send({ type: 'subscribe', channel: 'agents' });
    await c.next('subscribed');
    clock.advance(15 * GENERATION_MS);
    await c.sync();
    const seen = c.takeAll('agent_update').map((m) => data(m)['agent_id'] as string);
    expect(seen.length).toBeGreaterThan(0);
    c.send({ type: 'unsubscribe', channel: 'agents' });
    await c.next('unsubscribed');
    c.skip(); // broadcasts sent before the unsubscribe took effect
    for (const id of new Set(seen)) {
      c.send({ type: 'get_agent', agent_id: id });
      expect(data(await c.next('agent_update'))['agent_id']).toBe(id);
    }
    c.close();
  });

  it('an unknown agent gets AGENT_NOT_FOUND with details.agent_id', async () => {
    const c = await open();
    for (const id of ['agent-0', 'agent-101', 'agent-123456789', 'nobody', 'agent-01', '__proto__']) {
      c.send({ type: 'get_agent', agent_id: id });
      const e = err(await c.next('error'));
      expect(e.code).toBe('AGENT_NOT_FOUND');
      expect(e.details?.['agent_id']).toBe(id);
    }
    c.close();
  });

  it('a missing or non-string agent_id is INVALID_COMMAND', async () => {
    const c = await open();
    for (const msg of [
      { type: 'get_agent' },
      { type: 'get_agent', agent_id: 1 },
      { type: 'get_agent', agent_id: '' },
    ]) {
      c.send(msg);
      expect(err(await c.next('error')).code).toBe('INVALID_COMMAND');
    }
    c.close();
  });
});

describe('E11 agent_code', () => {
  it('code for an existing agent is accepted: agent_update for it', async () => {
    const c = await open();
    const code = 'def run(x):\n    return x * 2\n';
    c.sendBinary(agentCode({ type: 'agent_code', agent_id: 'agent-2' }, code));
    const u = await c.next('agent_update');
    expect(data(u)['agent_id']).toBe('agent-2');
    expect(data(u)['code_bytes']).toBe(Buffer.byteLength(code));
    c.close();
  });

  it('an unknown agent gets AGENT_NOT_FOUND with details.agent_id', async () => {
    const c = await open();
    c.sendBinary(agentCode({ type: 'agent_code', agent_id: 'agent-9999' }, 'x'));
    const e = err(await c.next('error'));
    expect(e.code).toBe('AGENT_NOT_FOUND');
    expect(e.details?.['agent_id']).toBe('agent-9999');
    c.close();
  });

  it('a header that is not JSON, or not an agent_code header, gets INVALID_COMMAND', async () => {
    const c = await open();
    const bad = [
      agentCode('{not json', 'x'),
      Buffer.from('no newline at all'),
      agentCode(Buffer.from([0xff, 0xfe]).toString('latin1'), 'x'),
      agentCode({ type: 'other', agent_id: 'agent-1' }, 'x'),
      agentCode({ type: 'agent_code' }, 'x'),
    ];
    for (const bytes of bad) {
      c.sendBinary(bytes);
      expect(err(await c.next('error')).code).toBe('INVALID_COMMAND');
    }
    c.send({ type: 'agent_code', agent_id: 'agent-1' });
    expect(err(await c.next('error')).code).toBe('INVALID_COMMAND');
    expect(c.isOpen).toBe(true);
    c.close();
  });

  it('an agent_code of just under 1 MiB is accepted; over 1 MiB closes with 1009', async () => {
    const c = await open();
    const header = { type: 'agent_code', agent_id: 'agent-3' };
    const room = 1024 * 1024 - JSON.stringify(header).length - 1;
    c.sendBinary(agentCode(header, Buffer.alloc(room, 0x61)));
    expect(data(await c.next('agent_update'))['code_bytes']).toBe(room);
    c.sendBinary(agentCode(header, Buffer.alloc(room + 1, 0x61)));
    expect((await c.closed())?.code).toBe(1009);
  });
});
