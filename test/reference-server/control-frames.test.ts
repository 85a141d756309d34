// C3: control frames and close codes (RFC 6455 §5.5, §7.4), decided by the shared WebSocket layer
// for both endpoints.
import { describe, expect, it } from 'vitest';
import { Client, useSchemaCheck } from './helpers/client.js';
import { frame, rawWebSocket } from './helpers/raw.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const srv = useServer();
const MiB = 1024 * 1024;

describe.each([EVO, '/ws'])('C3 on %s', (path) => {
  it('a ping gets a pong with the identical payload', async () => {
    const c = await Client.open(srv().url(path));
    for (const payload of [Buffer.alloc(0), Buffer.from('hello'), Buffer.alloc(125, 7)]) {
      const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
      c.ws.ping(payload);
      expect(Buffer.compare(await pong, payload)).toBe(0);
    }
    c.close();
  });

  it('a close frame is echoed with the same code', async () => {
    for (const code of [1000, 1001, 4000, 4999]) {
      const c = await Client.open(srv().url(path));
      c.ws.close(code, 'bye');
      expect((await c.closed())?.code).toBe(code);
    }
  });

  it('protocol errors close with 1002', async () => {
    const broken = [
      frame({ opcode: 0x1, payload: '{}', rsv: 4 }), // RSV1 without a negotiated extension (§5.2)
      frame({ opcode: 0x3, payload: 'x' }), // reserved opcode (§5.2)
      frame({ opcode: 0x1, payload: '{}', mask: false }), // unmasked client frame (§5.1)
      frame({ opcode: 0x9, payload: 'x', fin: false }), // fragmented control frame (§5.5)
      frame({ opcode: 0x0, payload: 'x' }), // continuation with nothing to continue (§5.4)
    ];
    for (const bytes of broken) {
      const raw = await rawWebSocket(srv().port, path);
      raw.write(bytes);
      expect(await raw.closeCode()).toBe(1002);
      raw.destroy();
    }
  });

  it('invalid UTF-8 in a text message closes with 1007', async () => {
    const raw = await rawWebSocket(srv().port, path);
    raw.write(frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }));
    expect(await raw.closeCode()).toBe(1007);
    raw.destroy();
  });

  it('a message over 1 MiB closes with 1009 from the frame header alone', async () => {
    const raw = await rawWebSocket(srv().port, path);
    // only the header announcing MiB + 1 bytes is sent: the server must not wait for the payload
    raw.write(frame({ opcode: 0x2, length: MiB + 1 }).subarray(0, 14));
    expect(await raw.closeCode()).toBe(1009);
    raw.destroy();
  });

  it('fragments adding up to over 1 MiB close with 1009', async () => {
    const raw = await rawWebSocket(srv().port, path);
    raw.write(frame({ opcode: 0x2, payload: Buffer.alloc(MiB / 2), fin: false }));
    raw.write(frame({ opcode: 0x0, payload: Buffer.alloc(MiB / 2 + 1), fin: true }));
    expect(await raw.closeCode()).toBe(1009);
    raw.destroy();
  });
});

it('a message of exactly 1 MiB is accepted', async () => {
  const c = await Client.open(srv().url(EVO));
  c.sendText(' '.repeat(MiB));
  // not JSON: INVALID_COMMAND, but the connection stays open (E9)
  await c.error('INVALID_COMMAND');
  expect(c.isOpen).toBe(true);
  c.close();
});
