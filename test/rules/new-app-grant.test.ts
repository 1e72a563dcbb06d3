import type { Finding } from '../../src/domain/types';
import { NEW_APP_GRANT_RULE_ID, newAppGrantRule } from '../../src/rules/new-app-grant';
import { DAY, HOUR, MINUTE, NOW, ago, grant, login } from '../support/rule-factories';
import { USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = NEW_APP_GRANT_RULE_ID;

// Authorised two hours before NOW (10:00 UTC), never used through a login before.
const SHADY_2H = grant({ appName: 'Shady Sync', createdAt: ago(2 * HOUR), lastUsedAt: ago(HOUR), useCount: 3, deleteToken: 'SECRET-DELETE-TOKEN' });
const rowIdOf = (appName: string, createdAt: Date) => `${encodeURIComponent(appName)}@${createdAt.toISOString()}`;
/** A login through an app (LoginHistory.Application names the connected app). */
const through = (application: string, loginTime: Date, status = 'Success') => login({ application, loginTime, status });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'an app authorised 2 h ago that the person never used: medium, a user finding, the delete token nowhere',
    input: { grants: [SHADY_2H] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: "connected app 'Shady Sync' authorised at 10:00 UTC; this person had not used it before",
        sessionIds: [],
        userId: USER,
        subject: 'grants',
        key: expectedKey(RULE, [rowIdOf('Shady Sync', ago(2 * HOUR))]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  { name: 'a grant exactly a day old is still news', input: { grants: [grant({ appName: 'Shady Sync', createdAt: ago(DAY) })] }, expected: [{ rule: RULE }] },
  { name: 'a grant a day and a millisecond old is not', input: { grants: [grant({ appName: 'Shady Sync', createdAt: ago(DAY + 1) })] }, expected: [] },
  {
    name: 'an earlier grant of the same app (10 days ago) makes it a known app: no finding',
    input: { grants: [SHADY_2H, grant({ appName: 'shady  sync', createdAt: ago(10 * DAY) })] },
    expected: [],
  },
  {
    name: 'an undated grant of the same app may be older: not known to be new, no finding',
    input: { grants: [SHADY_2H, grant({ appName: 'Shady Sync', createdAt: null })] },
    expected: [],
  },
  { name: 'an undated grant alone cannot be judged', input: { grants: [grant({ appName: 'Shady Sync', createdAt: null })] }, expected: [] },
  {
    name: 'a login through the app three days ago: the person uses it, no finding',
    input: { grants: [SHADY_2H], logins: [through('Shady Sync', ago(3 * DAY))] },
    expected: [],
  },
  {
    name: 'the app is matched by name without case or extra spaces',
    input: { grants: [SHADY_2H], logins: [through(' shady   SYNC ', ago(3 * DAY))] },
    expected: [],
  },
  {
    name: 'a failed login through the app before is no use of it: medium',
    input: { grants: [SHADY_2H], logins: [through('Shady Sync', ago(3 * DAY), 'Invalid Password')] },
    expected: [{ rule: RULE }],
  },
  {
    name: 'the authorisation login itself, at the grant, is no earlier use: medium',
    input: { grants: [SHADY_2H], logins: [through('Shady Sync', ago(2 * HOUR))] },
    expected: [{ rule: RULE }],
  },
  {
    // Clocks and slow consent screens: the authorisation may be recorded up to an hour before CreatedDate.
    name: 'a login through the app 30 min before the grant is its own authorisation: medium',
    input: { grants: [SHADY_2H], logins: [through('Shady Sync', ago(2 * HOUR + 30 * MINUTE))] },
    expected: [{ rule: RULE }],
  },
  {
    name: 'a login through the app 61 min before the grant is earlier use: no finding',
    input: { grants: [SHADY_2H], logins: [through('Shady Sync', ago(3 * HOUR + MINUTE))] },
    expected: [],
  },
  {
    name: 'logins through the app after the grant are no earlier use: medium',
    input: { grants: [SHADY_2H], logins: [through('Shady Sync', ago(30 * MINUTE))] },
    expected: [{ rule: RULE }],
  },
  {
    name: 'logins through other apps say nothing about this one: medium',
    input: { grants: [SHADY_2H], logins: [through('Salesforce for iOS', ago(3 * DAY)), through('Browser', ago(DAY))] },
    expected: [{ rule: RULE }],
  },
  { name: 'an app without a name is skipped', input: { grants: [grant({ appName: '   ', createdAt: ago(HOUR) })] }, expected: [] },
  {
    name: 'two new apps: two findings, in the order given',
    input: { grants: [SHADY_2H, grant({ appName: 'Data Exporter', createdAt: ago(3 * HOUR) })] },
    expected: [
      { message: "connected app 'Shady Sync' authorised at 10:00 UTC; this person had not used it before" },
      { message: "connected app 'Data Exporter' authorised at 09:00 UTC; this person had not used it before" },
    ],
  },
  {
    name: 'a second new grant of the same app today is the same news: one finding, on the first grant',
    input: { grants: [grant({ appName: 'Shady Sync', createdAt: ago(HOUR) }), SHADY_2H] },
    expected: [{ key: expectedKey(RULE, [rowIdOf('Shady Sync', ago(2 * HOUR))]) }],
  },
  { name: 'no grants', input: { grants: [], logins: [through('Shady Sync', ago(DAY))] }, expected: [] },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same grant an hour later: same key',
    before: { grants: [SHADY_2H] },
    after: anHourLater({ grants: [SHADY_2H] }),
    expected: 'same keys',
  },
  {
    name: 'another app authorised: a new key',
    before: { grants: [SHADY_2H] },
    after: { grants: [SHADY_2H, grant({ appName: 'Data Exporter', createdAt: ago(HOUR) })] },
    expected: 'a new key',
  },
];

describe('new-app-grant', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    const findings = run(newAppGrantRule, input);
    expect(shaped(findings, expected)).toEqual(expected);
    expect(JSON.stringify(findings)).not.toContain('SECRET');
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(newAppGrantRule, keyCase));

  it('is news for a day only: the same grant a day later gives nothing', () => {
    expect(run(newAppGrantRule, { grants: [SHADY_2H], now: new Date(NOW.getTime() + DAY) })).toEqual([]);
  });

  it('carries the app, when it was authorised and how it was used as evidence', () => {
    const [found] = run(newAppGrantRule, { grants: [SHADY_2H] });
    expect(found?.evidence).toEqual({ kind: 'grant-new', appName: 'Shady Sync', createdAt: SHADY_2H.createdAt, lastUsedAt: SHADY_2H.lastUsedAt, useCount: 3 });
  });
});
