import { createVerify, generateKeyPairSync } from 'node:crypto';
import { jwtAudience, signJwtAssertion } from '../../src/salesforce/jwt';
import { RefreshBreaker } from '../../src/salesforce/connection';

describe('JWT bearer assertion', () => {
  // Salesforce's JWT bearer flow takes only login.salesforce.com, test.salesforce.com or an Experience Cloud
  // site URL as `aud`, even when the token request goes to the org's My Domain ("audience is invalid" otherwise).
  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com/path', 'https://login.salesforce.com'],
    ['https://ACME.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    // Sandboxes without enhanced domains: MyDomain--SandboxName.my.salesforce.com, or on a cs instance.
    ['https://acme--uat.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme--uat.cs42.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://cs42.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.develop.my.salesforce.com', 'https://login.salesforce.com'],
    ['http://127.0.0.1:4321', 'https://login.salesforce.com'],
  ])('the login URL %s has the audience %s', (loginUrl, audience) => {
    expect(jwtAudience(loginUrl)).toBe(audience);
  });

  it('an explicit audience (SF_JWT_AUDIENCE, e.g. an Experience Cloud site) wins', () => {
    expect(jwtAudience('https://acme.my.salesforce.com', 'https://acme.my.site.com/customers')).toBe('https://acme.my.site.com/customers');
  });

  it('is RS256-signed with the claims Salesforce checks', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const now = new Date('2026-11-26T10:00:00Z');
    const jwt = signJwtAssertion({ clientId: 'cid', username: 'bot@acme.com', audience: 'https://login.salesforce.com', now }, pem);
    const [h, c, s] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(c, 'base64url').toString())).toEqual({
      iss: 'cid',
      sub: 'bot@acme.com',
      aud: 'https://login.salesforce.com',
      exp: now.getTime() / 1000 + 180,
    });
    expect(createVerify('RSA-SHA256').update(`${h}.${c}`).verify(publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });
});

describe('RefreshBreaker', () => {
  it('allows a few re-logins that did not help per window, then opens until the window passes', () => {
    let t = 0;
    const b = new RefreshBreaker(3, 60_000, () => t);
    const tries = [0, 1, 2, 3].map(() => {
      const ok = b.allow();
      b.strike();
      return ok;
    });
    expect(tries).toEqual([true, true, true, false]);
    t = 60_001;
    expect(b.allow()).toBe(true);
  });

  it('never opens for re-logins that worked (nothing struck)', () => {
    const b = new RefreshBreaker(3, 60_000, () => 0);
    expect(Array.from({ length: 20 }, () => b.allow()).every(Boolean)).toBe(true);
  });
});
