// C4: "__proto__" / "constructor" / "prototype" as a message type or key must neither crash the
// server nor stall others (prototype lookups and merges are the classic JavaScript server bug).
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { protoKeyMessages, protoNameMessages } from '../_shared/hostile.js';
import { sendHostile } from '../_shared/sessions.js';

export default [
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 100,
    suite: 'security',
    rule: 'C4',
    title:
      'messages whose type, scope, command or channel is __proto__/constructor/prototype do not crash the server',
    faults: ['crash-on-proto-key'],
    hostile: true,
    async run(ctx: CaseContext) {
      await sendHostile(ctx, 'messages named after prototype properties', protoNameMessages);
    },
  }),
  defineCase({
    protocols: ['atheria', 'evolution'],
    num: 101,
    suite: 'security',
    rule: 'C4',
    title:
      'messages with __proto__/constructor/prototype keys (top level and nested) do not crash the server',
    faults: ['crash-on-proto-key'],
    hostile: true,
    // the Atheria inputs include wrongly typed set_fps / set_viz: see sendHostile (A0)
    exclusive: { atheria: 'atheria-sim' },
    async run(ctx: CaseContext) {
      await sendHostile(ctx, 'messages with __proto__/constructor keys', protoKeyMessages);
    },
  }),
];
