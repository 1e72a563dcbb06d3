import { createSign } from 'node:crypto';

const PRODUCTION = 'https://login.salesforce.com';
const SANDBOX = 'https://test.salesforce.com';

/**
 * Sandbox hosts, after Salesforce's My Domain URL formats: `<domain>--<sandbox>.sandbox.my.salesforce.com`
 * (enhanced domains), `<domain>--<sandbox>.my.salesforce.com` and `…cs42.my.salesforce.com` (before them),
 * and the legacy `csNN.salesforce.com` instances.
 */
function isSandboxHost(host: string): boolean {
  return (
    host.endsWith('.sandbox.my.salesforce.com') ||
    (host.endsWith('.my.salesforce.com') && host.split('.')[0]?.includes('--') === true) ||
    /(^|\.)cs\d+(\.my)?\.salesforce\.com$/.test(host)
  );
}

/**
 * The assertion's `aud`. Salesforce accepts only https://login.salesforce.com, https://test.salesforce.com
 * or an Experience Cloud site URL, even when the token request goes to the org's My Domain (a My Domain
 * `aud` is refused with "audience is invalid"), so the login URL only decides production or sandbox; a
 * site URL has to be given explicitly (SF_JWT_AUDIENCE) since nothing in a login URL says it is one.
 */
export function jwtAudience(loginUrl: string, explicit?: string | null): string {
  if (explicit) return explicit;
  const host = new URL(loginUrl).host.toLowerCase();
  return isSandboxHost(host) || host === 'test.salesforce.com' ? SANDBOX : PRODUCTION;
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
