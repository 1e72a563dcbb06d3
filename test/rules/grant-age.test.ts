import type { Finding } from '../../src/domain/types';
import { GRANT_AGE_RULE_ID, grantAgeRule } from '../../src/rules/grant-age';
import { DAY, HOUR, ago, grant, session } from '../support/rule-factories';
import { USER, anHourLater, checkKeys, expectedKey, inputOf, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = GRANT_AGE_RULE_ID;

const DATA_LOADER_120D = grant({ appName: 'Data Loader', createdAt: ago(120 * DAY), deleteToken: 'SECRET-DELETE-TOKEN' });
// A comma and a colon in the app name must not blur the key's separators.
const ODD_NAME_40D = grant({ appName: 'Sync: EU, US', createdAt: ago(40 * DAY) });

/** Whether the monitor has said the user is an integration; undefined as in `/sessions`. */
type Integration = boolean | undefined;

interface Case {
  name: string;
  input: Scenario;
  integration?: Integration;
  expected: Array<Partial<Finding>>;
}

function runWith(input: Scenario, integration: Integration): Finding[] {
  const ruleInput = inputOf(input);
  if (integration !== undefined) ruleInput.integration = integration;
  return grantAgeRule.evaluate(ruleInput);
}

const cases: Case[] = [
  {
    name: "the 'Data Loader' grant is 120 days old: medium, a user finding, the delete token nowhere",
    input: { grants: [DATA_LOADER_120D] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: "connected app 'Data Loader' token is 120 days old; rotation policy is 30",
        sessionIds: [],
        userId: USER,
        subject: 'grants',
        key: expectedKey(RULE, [`Data%20Loader@${DATA_LOADER_120D.createdAt?.toISOString()}`]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  { name: 'a 5-day-old grant: no finding', input: { grants: [grant({ createdAt: ago(5 * DAY) })] }, expected: [] },
  { name: 'a grant exactly at the 30-day policy: no finding', input: { grants: [grant({ createdAt: ago(30 * DAY) })] }, expected: [] },
  {
    name: 'whole days: 30 days 23 h is not over a 30-day policy, 31 days is',
    input: { grants: [grant({ createdAt: ago(31 * DAY - HOUR) }), grant({ appName: 'Workbench', createdAt: ago(31 * DAY) })] },
    expected: [{ message: "connected app 'Workbench' token is 31 days old; rotation policy is 30" }],
  },
  {
    name: 'the policy value is followed (7 days)',
    input: { grants: [grant({ createdAt: ago(10 * DAY) })], policy: { tokenMaxAgeDays: 7 } },
    expected: [{ message: "connected app 'Data Loader' token is 10 days old; rotation policy is 7" }],
  },
  { name: 'a grant without a creation date cannot be judged', input: { grants: [grant({ createdAt: null })] }, expected: [] },
  {
    name: 'an unnamed app is named plainly',
    input: { grants: [grant({ appName: '  ', createdAt: ago(40 * DAY) })] },
    expected: [{ message: 'connected app (unnamed) token is 40 days old; rotation policy is 30' }],
  },
  {
    name: 'commas and colons in an app name are encoded in the key',
    input: { grants: [ODD_NAME_40D] },
    expected: [{ key: expectedKey(RULE, [`Sync%3A%20EU%2C%20US@${ODD_NAME_40D.createdAt?.toISOString()}`]) }],
  },
  {
    name: 'each old grant is its own finding, in the order given',
    input: { grants: [ODD_NAME_40D, DATA_LOADER_120D] },
    expected: [
      { message: "connected app 'Sync: EU, US' token is 40 days old; rotation policy is 30" },
      { message: "connected app 'Data Loader' token is 120 days old; rotation policy is 30" },
    ],
  },
  {
    name: 'sessions are not its business: an old OAuth session alone gives nothing',
    input: { sessions: [session({ sessionType: 'Oauth2', createdAt: ago(45 * DAY) })] },
    expected: [],
  },
  {
    name: 'the monitor says the user is an integration: its old grant is judged',
    input: { grants: [DATA_LOADER_120D] },
    integration: true,
    expected: [{ severity: 'medium' }],
  },
  {
    // A person's phone app keeps a months-old refresh token by design.
    name: "the monitor says the user is a person: a person's old grant is not judged",
    input: { grants: [DATA_LOADER_120D] },
    integration: false,
    expected: [],
  },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same grant an hour later: same key',
    before: { grants: [DATA_LOADER_120D] },
    after: anHourLater({ grants: [DATA_LOADER_120D] }),
    expected: 'same keys',
  },
  {
    name: 'a second grant of the same app, made on another day: a new key',
    before: { grants: [DATA_LOADER_120D] },
    after: { grants: [DATA_LOADER_120D, grant({ appName: 'Data Loader', createdAt: ago(90 * DAY) })] },
    expected: 'a new key',
  },
];

describe('grant-age', () => {
  it.each(cases)('$name', ({ input, integration, expected }) => {
    const findings = runWith(input, integration);
    expect(shaped(findings, expected)).toEqual(expected);
    expect(JSON.stringify(findings)).not.toContain('SECRET');
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(grantAgeRule, keyCase));

  it('carries the grant age as evidence', () => {
    const [found] = runWith({ grants: [DATA_LOADER_120D] }, undefined);
    expect(found?.evidence).toEqual({
      kind: 'grant-age',
      appName: 'Data Loader',
      createdAt: DATA_LOADER_120D.createdAt,
      wholeDays: 120,
      maxAgeDays: 30,
    });
  });
});
