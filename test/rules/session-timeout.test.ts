import type { Finding } from '../../src/domain/types';
import { SESSION_TIMEOUT_RULE_ID, sessionTimeoutRule } from '../../src/rules/session-timeout';
import { DAY, HOUR, MINUTE, NOW, ago, childOf, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = SESSION_TIMEOUT_RULE_ID;

const ALIVE_3H10 = session({ createdAt: ago(3 * HOUR + 10 * MINUTE) });
const ALIVE_45D = session({ createdAt: ago(45 * DAY + 3 * HOUR) });
// Last used 3 h ago with a 1 h validity: expired, unless a child keeps the family alive.
const EXPIRED_5H = session({ createdAt: ago(5 * HOUR), lastModifiedAt: ago(3 * HOUR), secondsValid: 3600 });
const CHILD_KEEPS_ALIVE = childOf(EXPIRED_5H, { lastModifiedAt: ago(MINUTE), secondsValid: 3600 });
const OLD_4H = session({ createdAt: ago(4 * HOUR) });
const OLD_5H = session({ createdAt: ago(5 * HOUR) });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'a live UI session alive 3 h 10 min against a 2 h timeout: medium',
    input: { sessions: [ALIVE_3H10] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: 'older than the 2 h timeout (alive 3 h 10 min)',
        sessionIds: [ALIVE_3H10.id],
        userId: USER,
        subject: 'sessions',
        key: expectedKey(RULE, [ALIVE_3H10.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  {
    name: 'the timeout is worded from the policy (30 min)',
    input: { sessions: [session({ createdAt: ago(45 * MINUTE) })], policy: { sessionTimeoutMinutes: 30 } },
    expected: [{ message: 'older than the 30 min timeout (alive 45 min)' }],
  },
  {
    name: 'alive 45 days against a 30-day policy: high, and says so',
    input: { sessions: [ALIVE_45D] },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: 'alive 45 days; policy is 30',
        sessionIds: [ALIVE_45D.id],
        key: expectedKey(RULE, [ALIVE_45D.id]),
      },
    ],
  },
  { name: 'exactly 30 days: still medium', input: { sessions: [session({ createdAt: ago(30 * DAY) })] }, expected: [{ severity: 'medium' }] },
  { name: '31 days: high', input: { sessions: [session({ createdAt: ago(31 * DAY) })] }, expected: [{ severity: 'high' }] },
  { name: 'exactly at the 2 h timeout: no finding', input: { sessions: [session({ createdAt: ago(2 * HOUR) })] }, expected: [] },
  { name: 'younger than the timeout: no finding', input: { sessions: [session({ createdAt: ago(HOUR) })] }, expected: [] },
  {
    name: '1 ms past the timeout: flagged',
    input: { sessions: [session({ createdAt: ago(2 * HOUR + 1) })] },
    expected: [{ severity: 'medium' }],
  },
  { name: 'an expired family: no finding', input: { sessions: [EXPIRED_5H] }, expected: [] },
  {
    name: 'an expired root kept alive by a child: flagged on the root',
    input: { sessions: [EXPIRED_5H, CHILD_KEEPS_ALIVE] },
    expected: [{ sessionIds: [EXPIRED_5H.id] }],
  },
  {
    name: 'an OAuth session is left to token-age',
    input: { sessions: [session({ sessionType: 'Oauth2', createdAt: ago(40 * DAY) })] },
    expected: [],
  },
  {
    name: 'a UI session from Remote Access 2.0 is left to token-age',
    input: { sessions: [session({ sessionType: 'UI', loginType: 'Remote Access 2.0', createdAt: ago(40 * DAY) })] },
    expected: [],
  },
  { name: 'no sessions', input: { sessions: [] }, expected: [] },
  {
    name: 'one finding per old family, none for the young one',
    input: { sessions: [OLD_4H, OLD_5H, session()] },
    // Families are listed oldest first.
    expected: [{ sessionIds: [OLD_5H.id] }, { sessionIds: [OLD_4H.id] }],
  },
  {
    name: "the bot's own session, alive 45 days, is never flagged",
    input: { sessions: [session({ userId: BOT, createdAt: ago(45 * DAY) })] },
    expected: [],
  },
  {
    name: "a family holding the bot's current session is never flagged",
    input: { sessions: [session({ createdAt: ago(45 * DAY), isCurrent: true })] },
    expected: [],
  },
];

// Kept alive throughout: last used a minute ago with a day of validity.
const LONG_LIVED = session({ createdAt: ago(3 * HOUR), lastModifiedAt: ago(MINUTE), secondsValid: 86_400 });

// Used all along, so its expiry keeps moving: modelled as expiring well after the dates judged.
const KEPT_ALIVE_FOR_WEEKS = session({ createdAt: ago(3 * HOUR), expiresAt: new Date(NOW.getTime() + 60 * DAY) });

const keyCases: KeyCase[] = [
  {
    name: 'the same session an hour later (alive 3 h → 4 h): same key',
    before: { sessions: [LONG_LIVED] },
    after: anHourLater({ sessions: [LONG_LIVED] }),
    expected: 'same keys',
  },
  {
    name: 'the same session on the day it turns from medium to high: same key',
    before: { sessions: [KEPT_ALIVE_FOR_WEEKS], now: new Date(KEPT_ALIVE_FOR_WEEKS.createdAt.getTime() + 30 * DAY) },
    after: { sessions: [KEPT_ALIVE_FOR_WEEKS], now: new Date(KEPT_ALIVE_FOR_WEEKS.createdAt.getTime() + 31 * DAY) },
    expected: 'same keys',
  },
  {
    name: 'a second old session appears: a new key',
    before: { sessions: [LONG_LIVED] },
    after: { sessions: [LONG_LIVED, session({ createdAt: ago(5 * HOUR) })] },
    expected: 'a new key',
  },
];

describe('session-timeout', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(sessionTimeoutRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(sessionTimeoutRule, keyCase));

  it('carries the age and the thresholds it was judged against', () => {
    const [found] = run(sessionTimeoutRule, { sessions: [ALIVE_3H10] });
    expect(found?.evidence).toEqual({
      kind: 'session-age',
      createdAt: ALIVE_3H10.createdAt,
      ageMs: 3 * HOUR + 10 * MINUTE,
      wholeDays: 0,
      timeoutMinutes: 120,
      maxAgeDays: 30,
    });
  });
});
