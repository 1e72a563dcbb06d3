/**
 * The first start's "Before Session Warden was watching" notice (issue 17): counts by rule and
 * people, the worst findings first as given, capped, escaped, within Slack's limits.
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import type { Finding } from '../../../src/domain/types';
import { backlogNotice } from '../../../src/slack/views/backlog';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { NOW, makeFinding, makeUser } from '../../support/view-factories';

const ADA = makeUser();
const BOB = makeUser({ id: '005000000000002AAA', name: 'Bob <Baker>', username: 'bob@acme.com' });

function sectionText(blocks: KnownBlock[], id: string): string {
  const b = blocks.find((x): x is SectionBlock => x.type === 'section' && x.block_id === id);
  return b?.text?.text ?? '';
}

function old(rule: string, userId: string, message: string, n = 1): Finding {
  return makeFinding({ rule, userId, message, key: `${rule}:${userId}:r${n}`, groupKey: `${rule}:${userId}` });
}

describe('backlogNotice', () => {
  it('counts the findings by rule (most first) and the people, and lists them in the order given', () => {
    const findings = [
      old('impossible-travel', BOB.id, 'login from Lagos, NG 20 days ago'),
      old('new-country', BOB.id, 'login from a new country: Lagos, NG'),
      old('new-country', ADA.id, 'login from a new country: Paris, FR', 2),
    ];
    const msg = backlogNotice(findings, [ADA, BOB], NOW);
    expectValidMessage(msg);
    expect(msg.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Before Session Warden was watching' } });
    expect(sectionText(msg.blocks, 'backlog_intro')).toContain('holds 3 findings about 2 people from logins more than a day old');
    expect(sectionText(msg.blocks, 'backlog_rules')).toBe('*By rule* `new-country` 2 · `impossible-travel` 1');
    expect(sectionText(msg.blocks, 'backlog_worst').split('\n')).toEqual([
      '*Worst first*',
      '• *Bob &lt;Baker&gt;* — login from Lagos, NG 20 days ago',
      '• *Bob &lt;Baker&gt;* — login from a new country: Lagos, NG',
      '• *Ada Lovelace* — login from a new country: Paris, FR',
    ]);
    expect(msg.text).toBe('Before Session Warden was watching: 3 findings about 2 people from logins more than a day old, recorded, not alerted.');
  });

  it('names a person it has no record of by id, and a finding about nobody as such; they do not count as people', () => {
    const msg = backlogNotice([old('password-spraying', '', 'one address failed against 12 people'), old('new-country', '005UNKNOWN0000000AAA', 'x')], [], NOW);
    expect(sectionText(msg.blocks, 'backlog_worst')).toContain('• *no one in particular* — one address failed against 12 people');
    expect(sectionText(msg.blocks, 'backlog_worst')).toContain('• *005UNKNOWN0000000AAA* — x');
    expect(sectionText(msg.blocks, 'backlog_intro')).toContain('2 findings about 1 person');
  });

  it('shows the ten worst and counts the rest, staying within Slack limits for thousands of findings', () => {
    const findings = Array.from({ length: 2_500 }, (_, i) => old('session-timeout', ADA.id, `kept in use ${i} days ${'x'.repeat(300)}`, i));
    const msg = backlogNotice(findings, [ADA], NOW);
    expectValidMessage(msg);
    const worst = sectionText(msg.blocks, 'backlog_worst');
    expect(worst.split('\n').filter((l) => l.startsWith('• *Ada'))).toHaveLength(10);
    expect(worst).toContain('• +2,490 more');
    expect(sectionText(msg.blocks, 'backlog_rules')).toBe('*By rule* `session-timeout` 2,500');
    expect(allText(msg.blocks)).not.toContain('kept in use 10 days');
  });
});
