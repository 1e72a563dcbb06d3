import { groupFamilies } from '../../src/domain/families';
import { DEFAULT_POLICY, type Session } from '../../src/domain/types';
import { isIntegrationSession } from '../../src/rules/integration';
import { TOKEN_AGE_RULE_ID, tokenAgeFindings, tokenAgeSessionFindings } from '../../src/rules/token-age';
import { DAY, HOUR, NOW, ago, grant, session } from './factories';

function run(sessions: Session[], policy = DEFAULT_POLICY) {
  return tokenAgeSessionFindings({ families: groupFamilies(sessions), policy, now: NOW });
}

describe('isIntegrationSession', () => {
  it.each([
    ['Oauth2', null],
    ['API', 'Application'],
    ['APIOnlyUser', null],
    ['UI', 'Remote Access 2.0'],
    ['UI', 'remote access client'],
  ])('treats %s / %s as integration', (sessionType, loginType) => {
    expect(isIntegrationSession(session({ sessionType, loginType }))).toBe(true);
  });

  it.each([
    ['UI', 'Application'],
    ['Aura', null],
    ['SubstituteUser', 'SysAdmin Switch'],
    ['Visualforce', 'SAML Idp Initiated SSO'],
  ])('treats %s / %s as a person', (sessionType, loginType) => {
    expect(isIntegrationSession(session({ sessionType, loginType }))).toBe(false);
  });
});

describe('token-age (sessions)', () => {
  it('flags an integration session alive beyond the rotation policy', () => {
    const s = session({ sessionType: 'Oauth2', createdAt: ago(45 * DAY + 5 * HOUR) });
    expect(run([s])).toEqual([
      {
        rule: TOKEN_AGE_RULE_ID,
        severity: 'medium',
        message: 'integration session alive 45 days; rotation policy is 30',
        sessionIds: [s.id],
      },
    ]);
  });

  it('counts whole days: 30 days 23 h is not over a 30-day policy, 31 days is', () => {
    expect(run([session({ sessionType: 'API', createdAt: ago(31 * DAY - 1) })])).toEqual([]);
    expect(run([session({ sessionType: 'API', createdAt: ago(31 * DAY) })])).toHaveLength(1);
  });

  it('ignores human sessions, expired sessions and young tokens', () => {
    expect(run([session({ sessionType: 'UI', createdAt: ago(60 * DAY) })])).toEqual([]);
    const expired = session({ sessionType: 'Oauth2', createdAt: ago(60 * DAY), lastModifiedAt: ago(2 * DAY), secondsValid: 3600 });
    expect(run([expired])).toEqual([]);
    expect(run([session({ sessionType: 'Oauth2', createdAt: ago(2 * DAY) })])).toEqual([]);
    expect(run([])).toEqual([]);
  });

  it('follows the policy value', () => {
    const s = session({ sessionType: 'Oauth2', createdAt: ago(10 * DAY) });
    expect(run([s], { ...DEFAULT_POLICY, tokenMaxAgeDays: 7 })[0]?.message).toBe(
      'integration session alive 10 days; rotation policy is 7',
    );
  });
});

describe('tokenAgeFindings (connected-app grants)', () => {
  it('flags old grants and never shows the delete token', () => {
    const findings = tokenAgeFindings(
      [grant({ appName: 'Data Loader', createdAt: ago(120 * DAY), deleteToken: 'SECRET-DELETE-TOKEN' })],
      DEFAULT_POLICY,
      NOW,
    );
    expect(findings).toEqual([
      {
        rule: TOKEN_AGE_RULE_ID,
        severity: 'medium',
        message: "connected app 'Data Loader' token is 120 days old; rotation policy is 30",
        sessionIds: [],
      },
    ]);
    expect(JSON.stringify(findings)).not.toContain('SECRET');
  });

  it('skips young grants, grants at exactly the policy and grants without a creation date', () => {
    const grants = [
      grant({ createdAt: ago(5 * DAY) }),
      grant({ createdAt: ago(30 * DAY) }),
      grant({ createdAt: null }),
    ];
    expect(tokenAgeFindings(grants, DEFAULT_POLICY, NOW)).toEqual([]);
    expect(tokenAgeFindings([], DEFAULT_POLICY, NOW)).toEqual([]);
  });

  it('names an unnamed app plainly', () => {
    const findings = tokenAgeFindings([grant({ appName: '  ', createdAt: ago(40 * DAY) })], DEFAULT_POLICY, NOW);
    expect(findings[0]?.message).toBe('connected app (unnamed) token is 40 days old; rotation policy is 30');
  });
});
