import { createVerify, generateKeyPairSync } from 'node:crypto';
import { jwtAudience, signJwtAssertion } from '../../src/salesforce/jwt';
import { RefreshBreaker } from '../../src/salesforce/connection';

describe('JWT bearer assertion', () => {
  it('names the audience Salesforce expects', () => {
    expect(jwtAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com/')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://acme.my.salesforce.com/path')).toBe('https://acme.my.salesforce.com');
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
  it('allows a few refreshes per window, then opens until the window passes', () => {
    let t = 0;
    const b = new RefreshBreaker(3, 60_000, () => t);
    expect([b.allow(), b.allow(), b.allow(), b.allow()]).toEqual([true, true, true, false]);
    t = 60_001;
    expect(b.allow()).toBe(true);
  });
});
