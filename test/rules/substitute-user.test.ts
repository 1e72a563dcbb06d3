import { groupFamilies } from '../../src/domain/families';
import { DEFAULT_POLICY, type Session } from '../../src/domain/types';
import { SUBSTITUTE_USER_RULE_ID, substituteUserFindings } from '../../src/rules/substitute-user';
import { NOW, childOf, session } from './factories';

function run(sessions: Session[]) {
  return substituteUserFindings({ families: groupFamilies(sessions), policy: DEFAULT_POLICY, now: NOW });
}

describe('substitute-user', () => {
  it('flags a Login-As root session', () => {
    const s = session({ sessionType: 'SubstituteUser' });
    expect(run([s])).toEqual([
      {
        rule: SUBSTITUTE_USER_RULE_ID,
        severity: 'medium',
        message: 'Login-As session (an admin is acting as this user)',
        sessionIds: [s.id],
      },
    ]);
  });

  it('flags the family once when a child is the Login-As session', () => {
    const root = session();
    const findings = run([root, childOf(root, { sessionType: 'substituteuser' }), childOf(root, { sessionType: 'SubstituteUser' })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([root.id]);
  });

  it('ignores ordinary sessions and empty input', () => {
    expect(run([session(), session({ sessionType: 'Aura' })])).toEqual([]);
    expect(run([])).toEqual([]);
  });
});
