import type { Finding } from '../../src/domain/types';
import { SESSION_TIMEOUT_RULE_ID, sessionTimeoutRule } from '../../src/rules/session-timeout';
import { DAY, HOUR, MINUTE, NOW, ago, childOf, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = SESSION_TIMEOUT_RULE_ID;

// A working day in one busy session: Salesforce's idle timeout counts from the last activity.
const AT_WORK_3H = session({ createdAt: ago(3 * HOUR) });
const ALIVE_17H05 = session({ createdAt: ago(17 * HOUR + 5 * MINUTE) });
const ALIVE_3D = session({ createdAt: ago(3 * DAY + 2 * HOUR) });
const ALIVE_45D = session({ createdAt: ago(45 * DAY + 3 * HOUR) });
// Last used 3 h ago with a 1 h validity: expired, unless a child keeps the family alive.
const EXPIRED_20H = session({ createdAt: ago(20 * HOUR), lastModifiedAt: ago(3 * HOUR), secondsValid: 3600 });
const CHILD_KEEPS_ALIVE = childOf(EXPIRED_20H, { lastModifiedAt: ago(5 * MINUTE), secondsValid: 3600 });
const OLD_18H = session({ createdAt: ago(18 * HOUR) });
const OLD_20H = session({ createdAt: ago(20 * HOUR) });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'a UI session 3 h old, used all along at work: no finding (issue 17)',
    input: { sessions: [AT_WORK_3H] },
    expected: [],
  },
  {
    name: 'a live UI session alive 17 h 5 min: medium, against the 16 h working day',
    input: { sessions: [ALIVE_17H05] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: 'in use for 17 h 4 min since its login, longer than a 16 h working day (last used 1 min ago)',
        sessionIds: [ALIVE_17H05.id],
        userId: USER,
        subject: 'sessions',
        key: expectedKey(RULE, [ALIVE_17H05.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  {
    name: 'the working day is worded from the policy (10 h)',
    input: { sessions: [session({ createdAt: ago(11 * HOUR) })], policy: { workdayHours: 10 } },
    expected: [{ severity: 'medium', message: 'in use for 10 h 59 min since its login, longer than a 10 h working day (last used 1 min ago)' }],
  },
  {
    name: "the last use is the family's latest activity, a child's included",
    input: {
      sessions: [
        session({ id: '0AkROOT00000000001', createdAt: ago(19 * HOUR), lastModifiedAt: ago(5 * HOUR), secondsValid: 86_400 }),
        session({ parentId: '0AkROOT00000000001', sessionType: 'Aura', createdAt: ago(17 * HOUR), lastModifiedAt: ago(2 * HOUR) }),
      ],
    },
    expected: [{ message: 'in use for 17 h since its login, longer than a 16 h working day (last used 2 h ago)' }],
  },
  {
    name: 'alive 3 days: high, kept alive for days',
    input: { sessions: [ALIVE_3D] },
    expected: [
      {
        severity: 'high',
        message: "kept in use 3 days since its login (last used 1 min ago); a person's session ends within a working day",
        sessionIds: [ALIVE_3D.id],
      },
    ],
  },
  {
    name: 'alive 45 days: high, and says so',
    input: { sessions: [ALIVE_45D] },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: "kept in use 45 days since its login (last used 1 min ago); a person's session ends within a working day",
        sessionIds: [ALIVE_45D.id],
        key: expectedKey(RULE, [ALIVE_45D.id]),
      },
    ],
  },
  { name: '1 ms short of 2 whole days: still medium', input: { sessions: [session({ createdAt: ago(2 * DAY - 1) })] }, expected: [{ severity: 'medium' }] },
  { name: 'in use exactly 2 whole days: high', input: { sessions: [session({ createdAt: ago(2 * DAY + MINUTE) })] }, expected: [{ severity: 'high' }] },
  {
    name: 'keptAliveDays is read from the policy: 3 days against 5 is medium',
    input: { sessions: [ALIVE_3D], policy: { keptAliveDays: 5 } },
    expected: [{ severity: 'medium', message: 'in use for 3 days since its login, longer than a 16 h working day (last used 1 min ago)' }],
  },
  { name: 'in use exactly the 16 h working day: no finding', input: { sessions: [session({ createdAt: ago(16 * HOUR + MINUTE) })] }, expected: [] },
  {
    name: 'valid through the night is not in use: left at 18:00 with an 8 h timeout, 19 h after its login, no finding',
    input: { sessions: [session({ createdAt: ago(19 * HOUR), lastModifiedAt: ago(7 * HOUR), secondsValid: 8 * 3600 })] },
    expected: [],
  },
  {
    name: 'the 2 h idle timeout is not the measure: 10 h in one session is no finding',
    input: { sessions: [session({ createdAt: ago(10 * HOUR) })] },
    expected: [],
  },
  {
    name: 'in use 1 ms past the working day: flagged',
    input: { sessions: [session({ createdAt: ago(16 * HOUR + MINUTE + 1) })] },
    expected: [{ severity: 'medium' }],
  },
  { name: 'an expired family: no finding', input: { sessions: [EXPIRED_20H] }, expected: [] },
  {
    name: 'a family whose validity ends exactly now has expired: no finding',
    input: { sessions: [session({ createdAt: ago(20 * HOUR), lastModifiedAt: ago(2 * HOUR), secondsValid: 7200 })] },
    expected: [],
  },
  {
    name: 'a family valid 1 s longer is alive: flagged',
    input: { sessions: [session({ createdAt: ago(20 * HOUR), lastModifiedAt: ago(2 * HOUR), secondsValid: 7201 })] },
    expected: [{ severity: 'medium', message: 'in use for 18 h since its login, longer than a 16 h working day (last used 2 h ago)' }],
  },
  {
    name: 'an expired root kept alive by a child: flagged on the root',
    input: { sessions: [EXPIRED_20H, CHILD_KEEPS_ALIVE] },
    expected: [{ sessionIds: [EXPIRED_20H.id], message: 'in use for 19 h 55 min since its login, longer than a 16 h working day (last used 5 min ago)' }],
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
    input: { sessions: [OLD_18H, OLD_20H, session()] },
    // Families are listed oldest first.
    expected: [{ sessionIds: [OLD_20H.id] }, { sessionIds: [OLD_18H.id] }],
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
const LONG_LIVED = session({ createdAt: ago(17 * HOUR), lastModifiedAt: ago(MINUTE), secondsValid: 86_400 });

// Used all along, so its expiry keeps moving: modelled as expiring well after the dates judged.
const KEPT_ALIVE_FOR_DAYS = session({ createdAt: ago(3 * HOUR), expiresAt: new Date(NOW.getTime() + 60 * DAY) });
/** The same session `days` after its login, last used a minute before that moment. */
function usedUntil(days: number): Scenario {
  const now = new Date(KEPT_ALIVE_FOR_DAYS.createdAt.getTime() + days * DAY);
  return { sessions: [{ ...KEPT_ALIVE_FOR_DAYS, lastModifiedAt: new Date(now.getTime() - MINUTE) }], now };
}

const keyCases: KeyCase[] = [
  {
    name: 'the same session an hour later (alive 17 h → 18 h): same key',
    before: { sessions: [LONG_LIVED] },
    after: anHourLater({ sessions: [LONG_LIVED] }),
    expected: 'same keys',
  },
  {
    name: 'the same session on the day it turns from medium to high: same key',
    before: usedUntil(1),
    after: usedUntil(2 + 1 / 24),
    expected: 'same keys',
  },
  {
    name: 'a second old session appears: a new key',
    before: { sessions: [LONG_LIVED] },
    after: { sessions: [LONG_LIVED, session({ createdAt: ago(20 * HOUR) })] },
    expected: 'a new key',
  },
];

describe('session-timeout', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(sessionTimeoutRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(sessionTimeoutRule, keyCase));

  it('the medium-to-high key case really changes severity', () => {
    expect(run(sessionTimeoutRule, usedUntil(1)).map((f) => f.severity)).toEqual(['medium']);
    expect(run(sessionTimeoutRule, usedUntil(2 + 1 / 24)).map((f) => f.severity)).toEqual(['high']);
  });

  it('carries the age, the last activity and the thresholds it was judged against', () => {
    const [found] = run(sessionTimeoutRule, { sessions: [ALIVE_17H05] });
    expect(found?.evidence).toEqual({
      kind: 'session-age',
      createdAt: ALIVE_17H05.createdAt,
      ageMs: 17 * HOUR + 5 * MINUTE,
      wholeDays: 0,
      timeoutMinutes: 120,
      maxAgeDays: 2,
      workdayHours: 16,
      lastActivityAt: ALIVE_17H05.lastModifiedAt,
    });
  });
});
