// C1: the opening handshake of both endpoints (RFC 6455 §4.1, §4.2). Raw requests throughout,
// because the ws client normalises or refuses exactly what these cases must send and see.
import { randomBytes } from 'node:crypto';
import { caseId, defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { acceptKey, newKey } from '../../src/wire/http-head.js';
import { describeStatus, isClientError, targetPathname, tokens } from '../_shared/http.js';
import { probeUpgrade, requireAnswer } from '../_shared/raw.js';

/**
 * C1: a server MAY also speak the drafts' versions 7 and 8 (RFC 6455 §4.4), so the unsupported
 * version is one no draft used.
 */
const UNSUPPORTED_VERSION = '99';

/** An unrelated path, and the target path with a suffix (catches prefix matching of paths). */
function wrongPaths(ctx: CaseContext): string[] {
  return ['/wsconform-no-such-path', `${targetPathname(ctx).replace(/\/+$/, '')}-wsconform`];
}

/** §4.1: the key is a base64-encoded 16-byte nonce; none, 15 or 17 bytes, or no base64 at all, is bad. */
const BAD_KEYS: { what: string; key: string | undefined }[] = [
  { what: 'an upgrade without Sec-WebSocket-Key', key: undefined },
  ...['not a base64 key!', randomBytes(15).toString('base64'), randomBytes(17).toString('base64')].map(
    (key) => ({
      what: `Sec-WebSocket-Key "${key}"`,
      key,
    }),
  ),
];

/** MUST (C1): an upgrade with this key gets an HTTP 4xx, never 101. */
async function requireKeyRefused(ctx: CaseContext, what: string, key: string | undefined): Promise<void> {
  const res = requireAnswer(ctx, await probeUpgrade(ctx, { headers: { 'Sec-WebSocket-Key': key } }), what);
  ctx.require(res.status !== 101, `${what} was accepted (101)`);
  ctx.require(
    isClientError(res.status),
    `${what} got ${describeStatus(res)} instead of a 4xx (400 preferred)`,
  );
}

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 100,
    suite: 'handshake',
    rule: 'C1',
    title: 'a valid upgrade gets 101 with Upgrade, Connection and a correct Sec-WebSocket-Accept',
    faults: ['handshake-wrong-accept'],
    async run(ctx: CaseContext) {
      const key = newKey();
      const res = await probeUpgrade(ctx, { headers: { 'Sec-WebSocket-Key': key } });
      ctx.require(res?.status === 101, `a valid upgrade got ${describeStatus(res)} instead of 101`);
      // §4.2.2 step 5: Upgrade: websocket, Connection: Upgrade, Accept = base64(SHA-1(key + GUID)).
      ctx.require(tokens(res.headers['upgrade']).includes('websocket'), 'the 101 lacks "Upgrade: websocket"');
      ctx.require(
        tokens(res.headers['connection']).includes('upgrade'),
        'the 101 lacks "Connection: Upgrade"',
      );
      const expected = acceptKey(key);
      const got = res.headers['sec-websocket-accept'];
      ctx.require(got === expected, `Sec-WebSocket-Accept is ${got ?? '(missing)'}, expected ${expected}`);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 101,
    suite: 'handshake',
    rule: 'C1',
    title: 'an upgrade on a wrong path gets 4xx, never 101',
    faults: ['handshake-any-path'],
    async run(ctx: CaseContext) {
      for (const path of wrongPaths(ctx)) {
        const res = requireAnswer(ctx, await probeUpgrade(ctx, { path }), `an upgrade on ${path}`);
        ctx.require(res.status !== 101, `an upgrade on ${path} was accepted (101)`);
        ctx.require(
          isClientError(res.status),
          `an upgrade on ${path} got ${describeStatus(res)} instead of 4xx`,
        );
      }
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 108,
    suite: 'handshake',
    rule: 'C1',
    title: 'an upgrade on a wrong path gets 404 (SHOULD; another 4xx is non-strict)',
    faults: ['handshake-wrong-path-400'],
    async run(ctx: CaseContext) {
      for (const path of wrongPaths(ctx)) {
        const res = await probeUpgrade(ctx, { path });
        // Not refused with a 4xx at all is case 101's MUST; this case judges only the preference.
        ctx.precondition(
          res !== null && isClientError(res.status),
          `an upgrade on ${path} is refused with a 4xx (got ${describeStatus(res)})`,
          caseId(ctx.target.protocol, 'handshake', 101),
        );
        ctx.should(res.status === 404, `an upgrade on ${path} got ${res.status}; 404 is preferred`);
      }
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 102,
    suite: 'handshake',
    rule: 'C1',
    title: 'an upgrade without Sec-WebSocket-Key gets 4xx, never 101',
    faults: ['handshake-bad-key-accepted'],
    async run(ctx: CaseContext) {
      for (const { what, key } of BAD_KEYS.filter((k) => k.key === undefined))
        await requireKeyRefused(ctx, what, key);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 103,
    suite: 'handshake',
    rule: 'C1',
    title: 'an upgrade whose Sec-WebSocket-Key is not base64 of 16 bytes gets 4xx, never 101',
    faults: ['handshake-bad-key-accepted'],
    async run(ctx: CaseContext) {
      for (const { what, key } of BAD_KEYS.filter((k) => k.key !== undefined))
        await requireKeyRefused(ctx, what, key);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 107,
    suite: 'handshake',
    rule: 'C1',
    title: 'a missing or malformed Sec-WebSocket-Key gets 400 (SHOULD; another 4xx is non-strict)',
    faults: ['handshake-bad-key-426'],
    async run(ctx: CaseContext) {
      // RFC 6455 §4.2.1: "an HTTP response with an appropriate error code (such as 400 Bad Request)".
      for (const { what, key } of BAD_KEYS) {
        const res = await probeUpgrade(ctx, { headers: { 'Sec-WebSocket-Key': key } });
        // Accepted, or refused with no 4xx, is the MUST of cases 102/103; this case judges only 400.
        ctx.precondition(
          res !== null && isClientError(res.status),
          `${what} is refused with a 4xx (got ${describeStatus(res)})`,
          caseId(ctx.target.protocol, 'handshake', key === undefined ? 102 : 103),
        );
        ctx.should(res.status === 400, `${what} got ${res.status}; 400 is preferred`);
      }
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 104,
    suite: 'handshake',
    rule: 'C1',
    title: `Sec-WebSocket-Version ${UNSUPPORTED_VERSION} gets 426 (or 400) with Sec-WebSocket-Version: 13`,
    faults: ['handshake-version-no-header'],
    async run(ctx: CaseContext) {
      // §4.2.2 / §4.4: an unsupported version is refused and the answer names the supported one.
      const v = UNSUPPORTED_VERSION;
      const res = await probeUpgrade(ctx, { headers: { 'Sec-WebSocket-Version': v } });
      ctx.require(
        res?.status === 426 || res?.status === 400,
        `Sec-WebSocket-Version ${v} got ${describeStatus(res)} instead of 426 (or 400)`,
      );
      const versions = tokens(res.headers['sec-websocket-version']);
      ctx.require(
        versions.includes('13'),
        `the ${res.status} answer has Sec-WebSocket-Version ${res.headers['sec-websocket-version'] ?? '(missing)'}, expected 13`,
      );
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 105,
    suite: 'handshake',
    rule: 'C1',
    title: 'a POST upgrade request gets 4xx, never 101',
    faults: ['handshake-post-accepted'],
    async run(ctx: CaseContext) {
      // §4.1: "The method of the request MUST be GET".
      const post = await probeUpgrade(ctx, { method: 'POST', headers: { 'Content-Length': '0' } });
      const res = requireAnswer(ctx, post, 'a POST upgrade');
      ctx.require(res.status !== 101, 'a POST upgrade was accepted (101)');
      ctx.require(isClientError(res.status), `a POST upgrade got ${describeStatus(res)} instead of 4xx`);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 106,
    suite: 'handshake',
    rule: 'C1',
    title: 'offered unknown subprotocols still get 101 with none selected; none is selected unoffered',
    faults: ['handshake-subprotocol-echo'],
    async run(ctx: CaseContext) {
      // §4.2.2 step 5.5: the server selects one of the offered values or none (§4.1: the client
      // fails a connection whose selection it did not offer).
      const bare = await probeUpgrade(ctx);
      ctx.require(bare?.status === 101, `a valid upgrade got ${describeStatus(bare)} instead of 101`);
      const unoffered = bare.headers['sec-websocket-protocol'];
      ctx.require(unoffered === undefined, `with no subprotocol offered the server selected "${unoffered}"`);

      const offered = ['wsconform.unknown-a', 'wsconform.unknown-b'];
      const res = await probeUpgrade(ctx, { headers: { 'Sec-WebSocket-Protocol': offered.join(', ') } });
      ctx.require(
        res?.status === 101,
        `an offer of unknown subprotocols got ${describeStatus(res)} instead of 101`,
      );
      const selected = res.headers['sec-websocket-protocol'];
      ctx.require(selected === undefined, `the server selected the unknown subprotocol "${selected}"`);
    },
  }),
];
