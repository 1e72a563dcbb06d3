import { randomBytes } from 'node:crypto';
import type { Org, SfRecord } from './org';

export type GrantKind = 'jwt' | 'client_credentials' | 'static';

export interface IssuedToken {
  accessToken: string;
  userId: string;
  /** The AuthSession row created for this login; deleting it ends the token. */
  sessionId: string;
  grant: GrantKind;
  issuedAt: number;
  revoked: boolean;
  /** Set by the expireTokensAfter fault. */
  expired: boolean;
}

/**
 * Access tokens the stand-in has issued. Every login leaves the traces a real one leaves: an
 * AuthSession (type Oauth2, its own parent) and a successful LoginHistory row, so the bot's
 * own session shows up in its queries like in a real org.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly org: Org,
    private readonly now: () => Date,
  ) {}

  issue(user: SfRecord, grant: GrantKind): IssuedToken {
    const userId = user.Id as string;
    const at = this.now().toISOString();
    const history = this.org.insert('LoginHistory', {
      UserId: userId,
      LoginTime: at,
      SourceIp: '127.0.0.1',
      Status: 'Success',
      LoginType: 'Remote Access 2.0',
      LoginSubType: grant === 'client_credentials' ? 'OauthClientCredentials' : null,
      Application: 'Session Warden',
      Browser: 'Unknown',
      Platform: 'Unknown',
      ApiType: 'N/A',
      ApiVersion: 'N/A',
      LoginUrl: '127.0.0.1',
    });
    const sessionId = this.org.newId('AuthSession');
    this.org.insert('AuthSession', {
      Id: sessionId,
      ParentId: sessionId,
      UsersId: userId,
      CreatedDate: at,
      LastModifiedDate: at,
      NumSecondsValid: 7200,
      SessionType: 'Oauth2',
      LoginType: 'Remote Access 2.0',
      SessionSecurityLevel: 'STANDARD',
      SourceIp: '127.0.0.1',
      UserType: 'Standard',
      LoginHistoryId: history.Id ?? null,
      IsAssociatedWithJwtAccessToken: false,
    });
    this.org.update(userId, { LastLoginDate: at });
    const orgId15 = this.org.orgId.slice(0, 15);
    const token: IssuedToken = {
      accessToken: `${orgId15}!${randomBytes(48).toString('base64url')}`,
      userId,
      sessionId,
      grant,
      issuedAt: this.now().getTime(),
      revoked: false,
      expired: false,
    };
    this.tokens.set(token.accessToken, token);
    return token;
  }

  /** The token when it still works: not revoked, not expired, and its session row still exists. */
  valid(accessToken: string): IssuedToken | undefined {
    const t = this.tokens.get(accessToken);
    if (!t || t.revoked || t.expired || !this.org.get(t.sessionId)) return undefined;
    return t;
  }

  find(accessToken: string): IssuedToken | undefined {
    return this.tokens.get(accessToken);
  }

  all(): IssuedToken[] {
    return [...this.tokens.values()];
  }
}
