import type { Finding } from '../../src/domain/types';
import { SUBSTITUTE_USER_RULE_ID, substituteUserRule } from '../../src/rules/substitute-user';
import { childOf, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = SUBSTITUTE_USER_RULE_ID;

const LOGIN_AS_ROOT = session({ sessionType: 'SubstituteUser' });
const UI_ROOT = session();

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'a Login-As root session: low (information)',
    input: { sessions: [LOGIN_AS_ROOT] },
    expected: [
      {
        rule: RULE,
        severity: 'low',
        message: 'Login-As session (an admin is acting as this user)',
        sessionIds: [LOGIN_AS_ROOT.id],
        userId: USER,
        subject: 'sessions',
        key: expectedKey(RULE, [LOGIN_AS_ROOT.id]),
        groupKey: `${RULE}:${USER}`,
        evidence: undefined,
      },
    ],
  },
  {
    name: 'two Login-As children (any spelling): one finding, on the root',
    input: { sessions: [UI_ROOT, childOf(UI_ROOT, { sessionType: 'substituteuser' }), childOf(UI_ROOT, { sessionType: 'SubstituteUser' })] },
    expected: [{ sessionIds: [UI_ROOT.id], key: expectedKey(RULE, [UI_ROOT.id]) }],
  },
  { name: 'ordinary UI and Aura sessions: no finding', input: { sessions: [session(), session({ sessionType: 'Aura' })] }, expected: [] },
  { name: 'no sessions', input: { sessions: [] }, expected: [] },
  {
    name: "the bot's own user in a Login-As session is never flagged",
    input: { sessions: [session({ userId: BOT, sessionType: 'SubstituteUser' })] },
    expected: [],
  },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same Login-As session an hour later: same key',
    before: { sessions: [LOGIN_AS_ROOT] },
    after: anHourLater({ sessions: [LOGIN_AS_ROOT] }),
    expected: 'same keys',
  },
  {
    name: 'a second Login-As session: a new key',
    before: { sessions: [LOGIN_AS_ROOT] },
    after: { sessions: [LOGIN_AS_ROOT, session({ sessionType: 'SubstituteUser' })] },
    expected: 'a new key',
  },
];

describe('substitute-user', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(substituteUserRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(substituteUserRule, keyCase));
});
