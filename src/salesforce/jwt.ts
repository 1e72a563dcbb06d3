import { createSign } from 'node:crypto';

/**
 * The audience Salesforce expects: its own login hosts name themselves; for anything else
 * (a My Domain or an Experience Cloud site) the login URL itself is the audience.
 */
export function jwtAudience(loginUrl: string): string {
  const u = new URL(loginUrl);
  if (u.host === 'login.salesforce.com') return 'https://login.salesforce.com';
  if (u.host === 'test.salesforce.com') return 'https://test.salesforce.com';
  return u.origin;
}

export interface JwtClaims {
  clientId: string;
  username: string;
  audience: string;
  now: Date;
  /** Salesforce accepts assertions that expire within a few minutes. */
  lifetimeSeconds?: number;
}

/** An RS256-signed JWT bearer assertion (RFC 7523) for Salesforce's token endpoint. */
export function signJwtAssertion(claims: JwtClaims, privateKeyPem: string): string {
  const b64u = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(claims.now.getTime() / 1000) + (claims.lifetimeSeconds ?? 180);
  const body = `${b64u({ alg: 'RS256' })}.${b64u({ iss: claims.clientId, sub: claims.username, aud: claims.audience, exp })}`;
  const signature = createSign('RSA-SHA256').update(body).sign(privateKeyPem).toString('base64url');
  return `${body}.${signature}`;
}
