import type { Finding } from '../../src/domain/types';
import { isIntegrationSession } from '../../src/rules/integration';
import { TOKEN_AGE_RULE_ID, tokenAgeRule } from '../../src/rules/token-age';
import { DAY, HOUR, ago, grant, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = TOKEN_AGE_RULE_ID;

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

const OAUTH_45D = session({ sessionType: 'Oauth2', createdAt: ago(45 * DAY + 5 * HOUR) });
const OAUTH_10D = session({ sessionType: 'Oauth2', createdAt: ago(10 * DAY) });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const sessionCases: Case[] = [
  {
    name: 'an OAuth session alive 45 days against a 30-day rotation policy: medium',
    input: { sessions: [OAUTH_45D] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: 'integration session alive 45 days; rotation policy is 30',
        sessionIds: [OAUTH_45D.id],
        userId: USER,
        subject: 'sessions',
        key: expectedKey(RULE, [OAUTH_45D.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  {
    name: 'whole days: 30 days 23 h 59 min is not over a 30-day policy',
    input: { sessions: [session({ sessionType: 'API', createdAt: ago(31 * DAY - 1) })] },
    expected: [],
  },
  { name: 'whole days: 31 days is', input: { sessions: [session({ sessionType: 'API', createdAt: ago(31 * DAY) })] }, expected: [{ severity: 'medium' }] },
  {
    name: 'a human UI session 60 days old is left to session-timeout',
    input: { sessions: [session({ sessionType: 'UI', createdAt: ago(60 * DAY) })] },
    expected: [],
  },
  {
    name: 'an expired OAuth session: no finding',
    input: { sessions: [session({ sessionType: 'Oauth2', createdAt: ago(60 * DAY), lastModifiedAt: ago(2 * DAY), secondsValid: 3600 })] },
    expected: [],
  },
  { name: 'a 2-day-old token: no finding', input: { sessions: [session({ sessionType: 'Oauth2', createdAt: ago(2 * DAY) })] }, expected: [] },
  { name: 'nothing at all', input: {}, expected: [] },
  {
    name: 'the policy value is followed (7 days)',
    input: { sessions: [OAUTH_10D], policy: { tokenMaxAgeDays: 7 } },
    expected: [{ message: 'integration session alive 10 days; rotation policy is 7' }],
  },
  {
    name: "the bot's own integration session, 45 days old, is never flagged",
    input: { sessions: [session({ userId: BOT, sessionType: 'Oauth2', createdAt: ago(45 * DAY) })] },
    expected: [],
  },
  {
    // Connected-app grants are grant-age's (integration users' tokens) and new-app-grant's.
    name: 'an old connected-app grant is not its business',
    input: { grants: [grant({ appName: 'Data Loader', createdAt: ago(120 * DAY) })] },
    expected: [],
  },
  {
    name: "the bot's current session is never flagged",
    input: { sessions: [session({ sessionType: 'Oauth2', createdAt: ago(45 * DAY), isCurrent: true })] },
    expected: [],
  },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same integration session an hour later: same key',
    before: { sessions: [OAUTH_45D] },
    after: anHourLater({ sessions: [OAUTH_45D] }),
    expected: 'same keys',
  },
  {
    name: 'the same integration session a day later (45 → 46 days): same key',
    before: { sessions: [{ ...OAUTH_45D, expiresAt: ago(-2 * DAY) }] },
    after: { sessions: [{ ...OAUTH_45D, expiresAt: ago(-2 * DAY) }], now: ago(-DAY) },
    expected: 'same keys',
  },
  {
    name: 'a second old integration session appears: a new key',
    before: { sessions: [OAUTH_45D] },
    after: { sessions: [OAUTH_45D, session({ sessionType: 'Oauth2', createdAt: ago(40 * DAY) })] },
    expected: 'a new key',
  },
];

describe('token-age', () => {
  it.each(sessionCases)('sessions: $name', ({ input, expected }) => {
    expect(shaped(run(tokenAgeRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(tokenAgeRule, keyCase));
});
