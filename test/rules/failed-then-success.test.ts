import { groupFamilies } from '../../src/domain/families';
import { DEFAULT_POLICY } from '../../src/domain/types';
import { FAILED_THEN_SUCCESS_RULE_ID, failedThenSuccessFindings } from '../../src/rules/failed-then-success';
import { MINUTE, PLACES, login, place, session } from './factories';

const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);

describe('failed-then-success', () => {
  it('flags 4 failures in 12 min followed by a success, in any input order', () => {
    const events = [
      login({ status: 'Success', loginTime: at('14:05'), place: PLACES.moscow }),
      login({ status: 'Invalid Password', loginTime: at('13:50') }),
      login({ status: 'Invalid Password', loginTime: at('13:58') }),
      login({ status: 'Invalid Password', loginTime: at('13:46') }),
      login({ status: 'Invalid Password', loginTime: at('13:54') }),
    ];
    expect(failedThenSuccessFindings(events, DEFAULT_POLICY)).toEqual([
      {
        rule: FAILED_THEN_SUCCESS_RULE_ID,
        severity: 'high',
        message: '4 failed logins (Invalid Password) in 12 min, then a success from Moscow, RU at 14:05 UTC',
        sessionIds: [],
      },
    ]);
  });

  it('flags exactly at the threshold, not below', () => {
    const three = [
      login({ status: 'Invalid Password', loginTime: at('10:00') }),
      login({ status: 'Invalid Password', loginTime: at('10:01') }),
      login({ status: 'Password Lockout', loginTime: at('10:02') }),
      login({ status: 'Success', loginTime: at('10:03') }),
    ];
    expect(failedThenSuccessFindings(three, DEFAULT_POLICY)).toHaveLength(1);
    expect(failedThenSuccessFindings(three.slice(1), DEFAULT_POLICY)).toEqual([]);
  });

  it('names the most common reasons first and folds the rest', () => {
    const events = [
      login({ status: 'Invalid Password', loginTime: at('10:00') }),
      login({ status: 'Failed: API security token required', loginTime: at('10:01') }),
      login({ status: 'Invalid Password', loginTime: at('10:02') }),
      login({ status: 'User Is Frozen', loginTime: at('10:02') }),
      login({ status: 'success', loginTime: at('10:03'), place: null, sourceIp: '198.51.100.4' }),
    ];
    expect(failedThenSuccessFindings(events, DEFAULT_POLICY)[0]?.message).toBe(
      '4 failed logins (Invalid Password, API security token required +1 more) in 2 min, then a success from 198.51.100.4 at 10:03 UTC',
    );
  });

  it('only counts failures inside the window before the success (window edge included)', () => {
    const events = [
      login({ status: 'Invalid Password', loginTime: at('08:59') }),
      login({ status: 'Invalid Password', loginTime: at('09:00') }),
      login({ status: 'Invalid Password', loginTime: at('09:30') }),
      login({ status: 'Success', loginTime: at('10:00') }),
    ];
    // 08:59 is 61 min before the success: outside a 60-minute window.
    expect(failedThenSuccessFindings(events, DEFAULT_POLICY)).toEqual([]);
    expect(failedThenSuccessFindings(events, { ...DEFAULT_POLICY, failedLoginThreshold: 2 })[0]?.message).toMatch(
      /^2 failed logins \(Invalid Password\) in 30 min/,
    );
  });

  it('restarts the count after a success', () => {
    const events = [
      login({ status: 'Invalid Password', loginTime: at('10:00') }),
      login({ status: 'Invalid Password', loginTime: at('10:01') }),
      login({ status: 'Success', loginTime: at('10:02') }),
      login({ status: 'Invalid Password', loginTime: at('10:03') }),
      login({ status: 'Success', loginTime: at('10:04') }),
    ];
    expect(failedThenSuccessFindings(events, DEFAULT_POLICY)).toEqual([]);
  });

  it('ignores failures never followed by a success, and empty input', () => {
    const events = Array.from({ length: 10 }, (_, i) => login({ status: 'Invalid Password', loginTime: new Date(at('10:00').getTime() + i * MINUTE) }));
    expect(failedThenSuccessFindings(events, DEFAULT_POLICY)).toEqual([]);
    expect(failedThenSuccessFindings([], DEFAULT_POLICY)).toEqual([]);
  });

  it('keeps users apart', () => {
    const events = [
      login({ userId: 'a', status: 'Invalid Password', loginTime: at('10:00') }),
      login({ userId: 'b', status: 'Invalid Password', loginTime: at('10:01') }),
      login({ userId: 'a', status: 'Invalid Password', loginTime: at('10:02') }),
      login({ userId: 'b', status: 'Success', loginTime: at('10:03') }),
      login({ userId: 'a', status: 'Success', loginTime: at('10:04') }),
    ];
    expect(failedThenSuccessFindings(events, { ...DEFAULT_POLICY, failedLoginThreshold: 2 })).toHaveLength(1);
  });

  it('names the session created by the successful login when families are given', () => {
    const success = at('14:05');
    const matching = session({ login: { loginTime: success, browser: null, platform: null, application: null, loginType: null } });
    const other = session({ place: place({ countryIso: 'US' }) });
    const events = [
      login({ status: 'Invalid Password', loginTime: at('14:00') }),
      login({ status: 'Invalid Password', loginTime: at('14:01') }),
      login({ status: 'Invalid Password', loginTime: at('14:02') }),
      login({ status: 'Success', loginTime: success }),
    ];
    const findings = failedThenSuccessFindings(events, DEFAULT_POLICY, groupFamilies([matching, other]));
    expect(findings[0]?.sessionIds).toEqual([matching.id]);
  });
});
