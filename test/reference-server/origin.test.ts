// C2: with an allow-list, only an exact Origin match (or no Origin at all) is upgraded; 403 otherwise.
import { describe, expect, it } from 'vitest';
import { upgradeStatus, useSchemaCheck } from './helpers/client.js';
import { EVO, useServer } from './helpers/server.js';

useSchemaCheck();
const ALLOWED = 'https://app.example.com';
const srv = useServer({ origins: [ALLOWED, 'http://localhost:3000'] });
const listless = useServer();

describe('C2 origin allow-list', () => {
  it('the allowed origin is upgraded on both paths', async () => {
    for (const path of [EVO, '/ws'])
      expect((await upgradeStatus(srv().url(path), { origin: ALLOWED })).status).toBe(101);
    expect((await upgradeStatus(srv().url(EVO), { origin: 'http://localhost:3000' })).status).toBe(101);
  });

  it('no Origin header at all is allowed (non-browser clients)', async () => {
    expect((await upgradeStatus(srv().url(EVO))).status).toBe(101);
  });

  const tricks = [
    'null',
    'https://app.example.com.evil.test',
    'https://evil.test',
    'http://app.example.com',
    'https://app.example.com:8443',
    'https://APP.example.com',
    'https://sub.app.example.com',
    'https://app.example.co',
    'https://app.example.com/',
    '',
  ];
  for (const origin of tricks) {
    it(`Origin ${JSON.stringify(origin)} gets 403 before the upgrade`, async () => {
      const r = await upgradeStatus(srv().url(EVO), { headers: { Origin: origin } });
      expect(r.status).toBe(403);
    });
  }

  it('without an allow-list any origin is upgraded', async () => {
    expect((await upgradeStatus(listless().url(EVO), { origin: 'https://evil.test' })).status).toBe(101);
  });
});
