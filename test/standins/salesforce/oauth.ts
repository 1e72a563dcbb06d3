import { createHmac, randomBytes, verify } from 'node:crypto';
import { HttpReply, oauthError } from './http';
import type { Org, SfRecord } from './org';
import type { GrantKind, TokenStore } from './tokens';

export interface JwtConfig {
  clientId: string;
  publicKeyPem: string;
  /** Experience Cloud site URLs also accepted as the assertion's audience (none by default). */
  siteAudiences?: string[];
}

export interface ClientCredentialsConfig {
  clientId: string;
  clientSecret: string;
  /** Username of the connected app's "Run As" user. */
  username: string;
}

export interface OAuthContext {
  org: Org;
  tokens: TokenStore;
  url: string;
  now: () => Date;
  jwt?: JwtConfig;
  clientCredentials?: ClientCredentialsConfig;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];
const signingSecret = randomBytes(32);

export function findUserByUsername(org: Org, username: string): SfRecord | undefined {
  const lower = username.toLowerCase();
  for (const u of org.all('User')) if (typeof u.Username === 'string' && u.Username.toLowerCase() === lower) return u;
  return undefined;
}

/** `POST /services/oauth2/token`. */
export function tokenEndpoint(ctx: OAuthContext, form: URLSearchParams, authorization: string | undefined): HttpReply {
  const grantType = form.get('grant_type');
  if (grantType === JWT_BEARER) return jwtGrant(ctx, form.get('assertion') ?? '');
  if (grantType === 'client_credentials') return clientCredentialsGrant(ctx, form, authorization);
  return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
}

function success(ctx: OAuthContext, user: SfRecord, grant: GrantKind): HttpReply {
  const token = ctx.tokens.issue(user, grant);
  const id = `${ctx.url}/id/${ctx.org.orgId}/${token.userId}`;
  const issuedAt = String(token.issuedAt);
  return new HttpReply(200, {
    access_token: token.accessToken,
    scope: 'api',
    instance_url: ctx.url,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature: createHmac('sha256', signingSecret)
      .update(id + issuedAt)
      .digest('base64'),
  });
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  if (!segment) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function jwtGrant(ctx: OAuthContext, assertion: string): HttpReply {
  const [h, c, sig, ...rest] = assertion.split('.');
  const header = decodeSegment(h);
  const claims = decodeSegment(c);
  if (!header || !claims || !sig || rest.length > 0 || header.alg !== 'RS256') {
    return oauthError(400, 'invalid_grant', 'invalid assertion');
  }
  if (!ctx.jwt || claims.iss !== ctx.jwt.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
  const signed = verify('RSA-SHA256', Buffer.from(`${h}.${c}`), ctx.jwt.publicKeyPem, Buffer.from(sig, 'base64url'));
  if (!signed) return oauthError(400, 'invalid_grant', 'invalid assertion');
  // Salesforce accepts only its two login hosts (or an Experience Cloud site URL) as audience, even
  // when the token request goes to a My Domain; the stand-in's own URL plays a My Domain, so it is refused.
  const audiences = [...AUDIENCES, ...(ctx.jwt.siteAudiences ?? [])];
  const aud = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) return oauthError(400, 'invalid_grant', 'audience is invalid');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= ctx.now().getTime()) {
    return oauthError(400, 'invalid_grant', 'expired authorization code');
  }
  const user = typeof claims.sub === 'string' ? findUserByUsername(ctx.org, claims.sub) : undefined;
  if (!user || user.IsActive !== true) return oauthError(400, 'invalid_grant', "user hasn't approved this consumer");
  return success(ctx, user, 'jwt');
}

function basicCredentials(authorization: string | undefined): [string, string] | undefined {
  const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
}

function clientCredentialsGrant(ctx: OAuthContext, form: URLSearchParams, authorization: string | undefined): HttpReply {
  const basic = basicCredentials(authorization);
  const clientId = form.get('client_id') ?? basic?.[0];
  const clientSecret = form.get('client_secret') ?? basic?.[1];
  const cc = ctx.clientCredentials;
  if (!cc || clientId !== cc.clientId) return oauthError(400, 'invalid_client_id', 'client identifier invalid');
  if (clientSecret !== cc.clientSecret) return oauthError(400, 'invalid_client', 'invalid client credentials');
  const user = findUserByUsername(ctx.org, cc.username);
  if (!user) return oauthError(400, 'invalid_grant', 'no client credentials user enabled');
  if (user.IsActive !== true) return oauthError(400, 'invalid_grant', "user hasn't approved this consumer");
  return success(ctx, user, 'client_credentials');
}

/**
 * `POST /services/oauth2/revoke` (or GET with `?token=`): an OauthToken row's DeleteToken removes
 * that grant; an access token the stand-in issued stops working and its session ends.
 */
export function revokeEndpoint(ctx: OAuthContext, token: string | null): HttpReply {
  if (!token) return oauthError(400, 'unsupported_token_type', 'unsupported token type');
  const removed = ctx.org.deleteWhere('OauthToken', (r) => r.DeleteToken === token);
  if (removed > 0) return new HttpReply(200);
  const issued = ctx.tokens.find(token);
  if (issued && !issued.revoked) {
    issued.revoked = true;
    ctx.org.delete('AuthSession', issued.sessionId);
    return new HttpReply(200);
  }
  return oauthError(400, 'invalid_token', 'invalid token');
}
