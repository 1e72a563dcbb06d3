import type { SectionBlock } from '@slack/types';
import { auditTrailMessage, auditVerifyMessage, type AuditLine } from '../../../src/slack/views/audit';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { NOW } from '../../support/view-factories';

function entry(seq: number, over: Partial<AuditLine> = {}): AuditLine {
  return {
    seq,
    at: new Date(NOW.getTime() - (100 - seq) * 60_000),
    requestId: 'RABCDEFGHJK',
    actor: 'UADMIN0001',
    event: 'requested',
    detail: 'Remove session',
    ...over,
  };
}

function sectionTexts(blocks: ReturnType<typeof auditTrailMessage>['blocks']): string[] {
  return blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
}

describe('auditTrailMessage', () => {
  it('lists entries newest first with actor, event, request and detail', () => {
    const msg = auditTrailMessage({
      title: 'Audit trail of request RABCDEFGHJK',
      entries: [entry(1), entry(3, { actor: 'system', event: 'done', detail: '' }), entry(2, { actor: 'UAPPROVER1', event: 'approved', detail: '' })],
      now: NOW,
    });
    expectValidMessage(msg);
    const lines = sectionTexts(msg.blocks).join('\n').split('\n');
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['`#3`', '`#2`', '`#1`']);
    expect(lines[0]).toMatch(/^`#3` <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-11-26 10:23 UTC> · `RABCDEFGHJK` · _system_ · \*done\*$/);
    expect(lines[1]).toContain('<@UAPPROVER1> · *approved*');
    expect(lines[2]).toContain('<@UADMIN0001> · *requested* — Remove session');
    expect(allText(msg.blocks)).toContain('Newest first · 3 entries');
  });

  it('escapes details and never turns an odd actor into a mention', () => {
    const msg = auditTrailMessage({ title: 'T', entries: [entry(1, { actor: '<!here>', detail: '<!channel> & <https://x|y>' })], now: NOW });
    expectValidMessage(msg);
    const text = allText(msg.blocks);
    expect(text).toContain('_&lt;!here&gt;_');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://x|y&gt;');
    expect(text).not.toMatch(/<!(here|channel)>/);
  });

  it('shows at most 40 entries, split into sections within limits', () => {
    const entries = Array.from({ length: 57 }, (_, i) => entry(i + 1, { detail: `${'&'.repeat(60)} detail ${i + 1}` }));
    const msg = auditTrailMessage({ title: 'Audit trail for Ada Lovelace (ada@acme.com)', entries, now: NOW });
    expectValidMessage(msg);
    const sections = sectionTexts(msg.blocks);
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect(s.length).toBeLessThanOrEqual(3000);
    const lines = sections.join('\n').split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^`#57`/);
    expect(allText(msg.blocks)).toContain(`${lines.length} newest of 57 entries`);
  });

  it('says when there is nothing yet', () => {
    const msg = auditTrailMessage({ title: 'Audit trail for Ada', entries: [], now: NOW });
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('No audit entries yet.');
  });
});

describe('auditVerifyMessage', () => {
  it('reports an intact chain', () => {
    const msg = auditVerifyMessage({ ok: true, checked: 1234 });
    expectValidMessage(msg);
    expect(msg.text).toBe('Audit trail intact: 1,234 entries checked, every hash matches its chain.');
  });

  it('reports where the chain breaks, escaped', () => {
    const msg = auditVerifyMessage({ ok: false, checked: 41, brokenAt: 42, reason: 'hash <mismatch>' });
    expectValidMessage(msg);
    expect(msg.text).toContain('Audit trail broken at entry #42: hash &lt;mismatch&gt;. 41 entries checked.');
    expect(allText(msg.blocks)).toContain(':rotating_light:');
  });
});
