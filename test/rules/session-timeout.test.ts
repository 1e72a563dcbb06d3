import { groupFamilies } from '../../src/domain/families';
import { DEFAULT_POLICY, type Session } from '../../src/domain/types';
import { SESSION_TIMEOUT_RULE_ID, sessionTimeoutFindings } from '../../src/rules/session-timeout';
import { DAY, HOUR, MINUTE, NOW, ago, childOf, session } from './factories';

function run(sessions: Session[], policy = DEFAULT_POLICY) {
  return sessionTimeoutFindings({ families: groupFamilies(sessions), policy, now: NOW });
}

describe('session-timeout', () => {
  it('flags a live UI session older than the timeout (medium)', () => {
    const s = session({ createdAt: ago(3 * HOUR + 10 * MINUTE) });
    expect(run([s])).toEqual([
      {
        rule: SESSION_TIMEOUT_RULE_ID,
        severity: 'medium',
        message: 'older than the 2 h timeout (alive 3 h 10 min)',
        sessionIds: [s.id],
      },
    ]);
  });

  it('words the timeout from the policy', () => {
    const s = session({ createdAt: ago(45 * MINUTE) });
    const findings = run([s], { ...DEFAULT_POLICY, sessionTimeoutMinutes: 30 });
    expect(findings[0]?.message).toBe('older than the 30 min timeout (alive 45 min)');
  });

  it('is high and says so once the session outlives the day policy', () => {
    const s = session({ createdAt: ago(45 * DAY + 3 * HOUR) });
    expect(run([s])).toEqual([
      { rule: SESSION_TIMEOUT_RULE_ID, severity: 'high', message: 'alive 45 days; policy is 30', sessionIds: [s.id] },
    ]);
  });

  it('stays medium at exactly 30 days, high at 31', () => {
    expect(run([session({ createdAt: ago(30 * DAY) })])[0]?.severity).toBe('medium');
    expect(run([session({ createdAt: ago(31 * DAY) })])[0]?.severity).toBe('high');
  });

  it('does not flag exactly at the timeout, or younger', () => {
    expect(run([session({ createdAt: ago(2 * HOUR) })])).toEqual([]);
    expect(run([session({ createdAt: ago(HOUR) })])).toEqual([]);
    expect(run([session({ createdAt: ago(2 * HOUR + 1) })])).toHaveLength(1);
  });

  it('skips expired families but keeps one kept alive by a child', () => {
    const expired = session({ createdAt: ago(5 * HOUR), lastModifiedAt: ago(3 * HOUR), secondsValid: 3600 });
    expect(run([expired])).toEqual([]);
    const child = childOf(expired, { lastModifiedAt: ago(MINUTE), secondsValid: 3600 });
    const findings = run([expired, child]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([expired.id]);
  });

  it('leaves integration sessions to token-age', () => {
    expect(run([session({ sessionType: 'Oauth2', createdAt: ago(40 * DAY) })])).toEqual([]);
    expect(run([session({ sessionType: 'UI', loginType: 'Remote Access 2.0', createdAt: ago(40 * DAY) })])).toEqual([]);
  });

  it('returns nothing for no families and one finding per old family', () => {
    expect(run([])).toEqual([]);
    const old = [session({ createdAt: ago(4 * HOUR) }), session({ createdAt: ago(5 * HOUR) })];
    expect(run([...old, session()])).toHaveLength(2);
  });
});
