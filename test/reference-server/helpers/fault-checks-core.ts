// Fault checks of the server core (C1 handshake, C2 origin, C3 control frames, C4 robustness).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { FaultName } from '../../../reference-server/faults.js';
import { expectCanary } from './canary.js';
import { upgradeStatus } from './client.js';
import { ALLOWED_ORIGIN, authed, closeAfter, type FaultCheck, head, open } from './fault-probes.js';
import { acceptFor, frame, RawSocket, rawWebSocket } from './raw.js';
import { EVO } from './server.js';

export const CORE_CHECKS: Partial<Record<FaultName, FaultCheck>> = {
  // ---- C1 ----
  'handshake-wrong-accept': {
    async check(s) {
      const key = randomBytes(16).toString('base64');
      expect((await head(s, EVO, { 'Sec-WebSocket-Key': key }))?.headers['sec-websocket-accept']).toBe(
        acceptFor(key),
      );
    },
  },
  'handshake-any-path': { check: async (s) => expect((await head(s, '/nope'))?.status).toBe(404) },
  'handshake-wrong-path-400': { check: async (s) => expect((await head(s, '/nope'))?.status).toBe(404) },
  'handshake-bad-key-accepted': {
    check: async (s) => expect((await head(s, EVO, { 'Sec-WebSocket-Key': undefined }))?.status).toBe(400),
  },
  'handshake-bad-key-426': {
    check: async (s) => expect((await head(s, EVO, { 'Sec-WebSocket-Key': 'short' }))?.status).toBe(400),
  },
  'handshake-version-no-header': {
    async check(s) {
      const h = await head(s, EVO, { 'Sec-WebSocket-Version': '12' });
      expect(h?.status).toBe(426);
      expect(h?.headers['sec-websocket-version']).toBe('13');
    },
  },
  'handshake-post-accepted': {
    check: async (s) => expect((await head(s, EVO, {}, 'POST'))?.status).toBe(405),
  },
  'handshake-subprotocol-echo': {
    check: async (s) =>
      expect(
        (await upgradeStatus(s.url(EVO), { protocols: ['chat'] })).headers['sec-websocket-protocol'],
      ).toBeUndefined(),
  },
  // ---- C2 ----
  'origin-suffix-match': {
    opts: { origins: [ALLOWED_ORIGIN] },
    check: async (s) =>
      expect((await upgradeStatus(s.url(EVO), { origin: `${ALLOWED_ORIGIN}.evil.test` })).status).toBe(403),
  },
  'origin-null-allowed': {
    opts: { origins: [ALLOWED_ORIGIN] },
    check: async (s) =>
      expect((await upgradeStatus(s.url(EVO), { headers: { Origin: 'null' } })).status).toBe(403),
  },
  'origin-missing-rejected': {
    opts: { origins: [ALLOWED_ORIGIN] },
    check: async (s) => expect((await upgradeStatus(s.url(EVO))).status).toBe(101),
  },
  // ---- C3 ----
  'pong-wrong-payload': {
    async check(s) {
      const c = await open(s);
      const pong = new Promise<Buffer>((resolve) => c.ws.once('pong', resolve));
      c.ws.ping(Buffer.from('abc'));
      expect((await pong).toString()).toBe('abc');
      c.close();
    },
  },
  'unsolicited-pong-closes': {
    async check(s) {
      const raw = await rawWebSocket(s.port, EVO);
      raw.write(frame({ opcode: 0xa, payload: 'unsolicited' }));
      raw.write(frame({ opcode: 0x9, payload: 'after' }));
      // the next frame is the pong of the ping, not a close
      expect((await raw.frame(1500))?.opcode).toBe(0xa);
      raw.destroy();
    },
  },
  'close-no-echo': {
    check: async (s) =>
      expect(await closeAfter(s, frame({ opcode: 0x8, payload: Buffer.from([0x0f, 0xa0]) }))).toBe(4000),
  },
  'size-limit-after-payload': {
    async check(s) {
      // only the header of an over-size frame: the close comes before the payload
      const raw = await rawWebSocket(s.port, EVO);
      raw.write(frame({ opcode: 0x1, payload: 'a'.repeat(16), length: 1024 * 1024 + 1 }));
      expect(await raw.closeCode(1000)).toBe(1009);
      raw.destroy();
    },
  },
  'close-wrong-code': {
    async check(s) {
      const c = await open(s);
      c.ws.close(4321);
      expect((await c.closed())?.code).toBe(4321);
    },
  },
  'protocol-error-wrong-code': {
    check: async (s) => expect(await closeAfter(s, frame({ opcode: 0x3 }))).toBe(1002),
  },
  'utf8-not-checked': {
    check: async (s) =>
      expect(await closeAfter(s, frame({ opcode: 0x1, payload: Buffer.from([0xc3, 0x28]) }))).toBe(1007),
  },
  'no-size-limit': {
    check: async (s) =>
      expect(await closeAfter(s, frame({ opcode: 0x2, payload: Buffer.alloc(1024 * 1024 + 1) }))).toBe(1009),
  },
  // ---- C4 ----
  'crash-on-proto-key': {
    async check(s) {
      const c = await authed(s);
      c.sendText('{"type":"subscribe","channels":["logs"],"__proto__":{"x":1}}');
      await c.next('subscribed', 1000);
      await expectCanary(s);
      c.close();
    },
  },
  'stall-on-bad-json': {
    async check(s) {
      const c = await open(s);
      c.sendText('{not json');
      // at once: the server handles the text while the canary is under way
      await expectCanary(s);
      c.close();
    },
  },
  'crash-on-wrong-type': {
    async check(s) {
      const c = await open(s);
      c.sendText('{"type":123}');
      await expectCanary(s);
      c.close();
    },
  },
  'stall-on-flood': {
    async check(s) {
      const c = await open(s);
      for (let i = 0; i < 500; i++) c.sendText(`{"type":"ping","timestamp":${i}}`);
      await expectCanary(s);
      c.close();
    },
  },
  'crash-on-binary-garbage': {
    async check(s) {
      const c = await open(s);
      c.sendBinary(Buffer.from([0x00, 0xff, 0x13]));
      await expectCanary(s);
      c.close();
    },
  },
  'crash-on-header-flood': {
    async check(s) {
      const headers: Record<string, string> = {};
      for (let i = 0; i < 2000; i++) headers[`x-flood-${i}`] = 'y';
      expect([400, 431]).toContain((await head(s, EVO, headers))?.status);
      await expectCanary(s);
    },
  },
  'stall-on-slow-handshake': {
    async check(s) {
      const half = await RawSocket.connect(s.port);
      half.write(`GET ${EVO} HTTP/1.1\r\nHost: x\r\n`);
      try {
        // the fault stalls every later handshake for as long as this one stays half-open
        await expectCanary(s, 1000);
      } finally {
        half.destroy();
      }
    },
  },
};
