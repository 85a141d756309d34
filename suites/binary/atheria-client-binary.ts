// A6: binary messages sent by a client are ignored: the server MUST NOT crash or close the
// connection, and keeps answering commands.
import { encode } from '@msgpack/msgpack';
import { defineCase } from '../../src/engine/define-case.js';
import type { CaseContext } from '../../src/engine/types.js';
import { connectAtheria } from '../../src/protocols/atheria-commands.js';
import { Probe } from '../../src/protocols/atheria-probe.js';
import { SENTINEL_CASE } from '../../src/protocols/atheria-state.js';

export default defineCase({
  protocol: 'atheria',
  num: 4,
  suite: 'binary',
  rule: 'A6',
  title: 'binary messages from the client are ignored: the connection stays open and keeps working',
  faults: ['ath-binary-client-closes'],
  hostile: true,
  async run(ctx: CaseContext) {
    const { conn } = await connectAtheria(ctx);
    const probe = new Probe(conn);
    ctx.precondition(
      await probe.sync(),
      'load_experiment of an unknown experiment got no final notification within 2 s; the harness uses it to know a message was processed',
      SENTINEL_CASE,
    );
    const inputs: [string, Uint8Array][] = [
      ['arbitrary bytes', Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x10, 0x80])],
      ['an empty binary message', new Uint8Array(0)],
      // a msgpack map that looks like a frame: a client cannot send frames
      ['a msgpack-encoded simulation_frame payload', encode({ step: 1, map_data: [[0, 1]] })],
    ];
    for (const [label, bytes] of inputs) {
      const { sentinel } = await probe.exchange(() => conn.sendBinary(bytes));
      ctx.require(conn.isOpen, `the server closed the connection after ${label} from the client`);
      ctx.require(sentinel, `after ${label} from the client the server stopped answering commands`);
    }
    conn.close(1000);
  },
});
