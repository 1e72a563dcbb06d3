import { concernedText, type ConcernedSessionView } from '../../../src/slack/views/concerned-sessions';
import { HOUR, NOW, sessionId } from '../../support/view-factories';

function family(n: number, findings: string[]): ConcernedSessionView {
  const at = new Date(NOW.getTime() - HOUR);
  return { id: sessionId(n), sessionType: 'UI', loginType: null, ip: '192.0.2.1', place: null, loginAt: at, createdAt: at, children: 0, findings };
}

describe('concernedText', () => {
  it('reports the findings it wrote under a session, so a later list can skip them', () => {
    const out = concernedText([family(1, ['a', 'b', 'c', 'd']), family(2, ['e'])], NOW, 3_000);
    expect([...out.findingsShown]).toEqual(['a', 'b', 'c', 'e']);
    expect(out.text).toContain('      ↳ …and 1 more finding\n• ');
  });

  it('always names the first session, cut to the budget, and counts the rest', () => {
    const out = concernedText([family(1, ['x'.repeat(250)]), family(2, [])], NOW, 150);
    const lines = out.text.split('\n');
    expect(lines[0]).toMatch(/^• `192\.0\.2\.1` · unknown place · UI · logged in/);
    expect(lines[lines.length - 1]).toBe('…and 1 more login');
    expect(out.text.length).toBeLessThanOrEqual(150);
    // Cut short, its findings were not all shown: they stay for the list that follows.
    expect(out.findingsShown.size).toBe(0);
  });

  it('is empty for no session', () => {
    expect(concernedText([], NOW, 100)).toEqual({ text: '', findingsShown: new Set() });
  });
});
