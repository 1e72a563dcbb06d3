import type { SectionBlock } from '@slack/types';
import { ACTIONS, decodeValue } from '../../../src/slack/views/action-ids';
import { helpMessage } from '../../../src/slack/views/help';
import { errorMessage, notFoundMessage, refusalMessage } from '../../../src/slack/views/notices';
import { pickUserMessage } from '../../../src/slack/views/pick-user';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { makeUser } from '../../support/view-factories';

describe('helpMessage', () => {
  it('documents every subcommand under the command name Slack used', () => {
    const msg = helpMessage('/warden', 30);
    expectValidMessage(msg);
    const text = allText(msg.blocks);
    for (const usage of ['/warden <email|username|@mention>', '/warden history <user> [days]', '/warden audit <user|request id>', '/warden help']) {
      expect(text).toContain(`\`${usage.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    }
    expect(msg.text).toContain('/warden history &lt;user&gt; [days]');
    expect(text).not.toMatch(/<[a-z@]/);
  });
});

describe('pickUserMessage', () => {
  const candidates = [
    makeUser({ id: '005000000000001AAA', name: 'Ada Lovelace', username: 'ada@acme.com' }),
    makeUser({ id: '005000000000002AAA', name: 'Ada Lovelace', username: 'ada@acme.com.sandbox', isFrozen: true }),
    makeUser({ id: '005000000000003AAA', name: 'Ada L.', username: 'ada.old@acme.com', isActive: false }),
  ];

  it('offers one button per candidate with name, username and status', () => {
    const msg = pickUserMessage(candidates, 'shared@acme.com');
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('Several Salesforce users have the e-mail shared@acme.com — pick one');
    const sections = msg.blocks.filter((b): b is SectionBlock => b.type === 'section' && b.accessory !== undefined);
    expect(sections).toHaveLength(3);
    expect(sections[1]?.text?.text).toContain('*Ada Lovelace*\nada@acme.com.sandbox · active, frozen');
    expect(sections[2]?.text?.text).toContain('inactive');
    expect(sections.map((s) => (s.accessory?.type === 'button' ? [s.accessory.action_id, decodeValue(s.accessory.value)] : null))).toEqual([
      [ACTIONS.pickUser, { u: '005000000000001AAA' }],
      [ACTIONS.pickUser, { u: '005000000000002AAA' }],
      [ACTIONS.pickUser, { u: '005000000000003AAA' }],
    ]);
  });

  it('words non-e-mail queries differently and escapes them', () => {
    const msg = pickUserMessage(candidates, '<!here> ada');
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('Several Salesforce users match &lt;!here&gt; ada — pick one');
    expect(msg.text).not.toContain('<!here>');
  });

  it('stays within limits for hundreds of candidates and says how many are hidden', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      makeUser({ id: `005${String(i).padStart(15, '0')}`, name: `Person ${i} ${'n'.repeat(100)}`, username: `p${i}@acme.com` }),
    );
    const msg = pickUserMessage(many, 'p@acme.com');
    expectValidMessage(msg);
    const shown = msg.blocks.filter((b) => b.type === 'section' && b.accessory !== undefined).length;
    expect(shown).toBeGreaterThan(5);
    expect(allText(msg.blocks)).toContain(`${300 - shown} more not shown`);
  });
});

describe('notices', () => {
  it('errorMessage shows the sentence and a reference, nothing else', () => {
    const msg = errorMessage('Salesforce did not answer in time. Try again in a minute.', 'req-42');
    expectValidMessage(msg);
    expect(msg.blocks).toHaveLength(2);
    expect(allText(msg.blocks)).toBe(':warning: Salesforce did not answer in time. Try again in a minute.\nReference: req-42');
  });

  it('errorMessage without a reference has no context and escapes input', () => {
    const msg = errorMessage('Could not read <@U1> & more');
    expectValidMessage(msg);
    expect(msg.blocks).toHaveLength(1);
    expect(allText(msg.blocks)).toBe(':warning: Could not read &lt;@U1&gt; &amp; more');
  });

  it('errorMessage survives an empty sentence', () => {
    expectValidMessage(errorMessage('  ', ''));
  });

  it('notFoundMessage names the escaped query', () => {
    const msg = notFoundMessage('<!channel>');
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('No Salesforce user matches *&lt;!channel&gt;*');
  });

  it('refusalMessage says who may use the command', () => {
    const msg = refusalMessage();
    expectValidMessage(msg);
    expect(msg.text).toBe('Only Session Warden admins and approvers can use /sessions. Ask #security if you need access.');
  });
});
