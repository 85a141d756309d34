// C4: malformed input — wrong JSON shapes and types, non-JSON text, deep nesting, and large
// garbage — neither crashes the server nor stalls other connections.
import { randomBytes } from 'node:crypto';
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { requireServerServes, requireServesBefore, shouldStillAnswer } from '../_shared/health.js';
import { deepJson, NON_JSON, wronglyTyped } from '../_shared/hostile.js';
import { OPCODE, readClose, withRaw } from '../_shared/raw.js';
import { hostileSessions, sendHostile } from '../_shared/sessions.js';

const GARBAGE_BYTES = 256 * 1024;

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 102,
    suite: 'security',
    rule: 'C4',
    title: 'wrongly typed fields, non-JSON text and 5,000-deep JSON neither crash nor stall the server',
    faults: ['crash-on-wrong-type', 'stall-on-bad-json'],
    hostile: true,
    // the Atheria inputs include wrongly typed set_fps / set_viz: see sendHostile (A0)
    exclusive: { atheria: 'atheria-sim' },
    async run(ctx: CaseContext) {
      await sendHostile(ctx, 'wrongly typed, non-JSON and deeply nested messages', (protocol, authed) => [
        ...wronglyTyped(protocol, authed),
        ...NON_JSON,
        deepJson(5000),
      ]);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 107,
    suite: 'security',
    rule: 'C4',
    title:
      '256 KiB of random bytes as text, 256 KiB of non-JSON text and binary garbage neither crash nor stall the server',
    faults: ['crash-on-binary-garbage', 'stall-on-bad-json'],
    hostile: true,
    timeoutMs: 15_000,
    async run(ctx: CaseContext) {
      await requireServesBefore(ctx);
      // Random bytes are not UTF-8: C3 wants close 1007 (judged by the framing suite; noted here).
      await withRaw(ctx, async (raw) => {
        raw.sendFrame({ opcode: OPCODE.text, payload: randomBytes(GARBAGE_BYTES) });
        const close = await readClose(raw, 2000);
        ctx.note(
          `256 KiB of random bytes as text: ${close ? `close ${close.code ?? '(no code)'}` : 'no close frame'}`,
        );
      });
      const sessions = await hostileSessions(ctx);
      try {
        for (const s of sessions) {
          // base64 text behind a '~' can never parse as JSON.
          s.conn.sendText(
            `~${randomBytes((GARBAGE_BYTES / 4) * 3).toString('base64')}`.slice(0, GARBAGE_BYTES),
          );
          s.conn.sendBinary(randomBytes(64 * 1024));
          s.conn.sendBinary(randomBytes(3));
        }
        await requireServerServes(ctx, 'large garbage text and binary messages');
        for (const s of sessions) await shouldStillAnswer(ctx, s.conn, `large garbage (${s.label})`);
      } finally {
        for (const s of sessions) s.conn.close(1000);
      }
    },
  }),
];
