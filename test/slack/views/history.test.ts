import type { SectionBlock } from '@slack/types';
import { loginHistoryMessage, MAX_LINES_PER_SECTION, type LoginHistoryInput } from '../../../src/slack/views/history';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { HOUR, MOSCOW, NOW, makeLogin, makeSummary, makeUser } from '../../support/view-factories';

function input(over: Partial<LoginHistoryInput> = {}): LoginHistoryInput {
  return { user: makeUser(), events: [], summary: makeSummary(), days: 30, limit: 200, now: NOW, ...over };
}

function loginSections(blocks: ReturnType<typeof loginHistoryMessage>['blocks']): SectionBlock[] {
  return blocks.filter((b): b is SectionBlock => b.type === 'section' && (b.block_id ?? '').startsWith('logins_'));
}

function lines(blocks: ReturnType<typeof loginHistoryMessage>['blocks']): string[] {
  return loginSections(blocks).flatMap((s) => (s.text?.text ?? '').split('\n'));
}

describe('loginHistoryMessage', () => {
  it('says so when there are no logins', () => {
    const msg = loginHistoryMessage(input({ days: 7 }));
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('No logins in the last 7 days');
    expect(msg.text).toContain('No logins in the last 7 days');
    expect(loginSections(msg.blocks)).toHaveLength(0);
  });

  it('lists logins newest first with failures bold and marked', () => {
    const events = [
      makeLogin(5),
      makeLogin(1, { status: 'Invalid Password', success: false, place: MOSCOW, sourceIp: '198.51.100.9' }),
      makeLogin(3, { status: 'Failed: API security token required', success: false }),
    ];
    const summary = makeSummary({ total: 3, failures: 2, countries: ['RU', 'US'], distinctIps: 2 });
    const msg = loginHistoryMessage(input({ events, summary }));
    expectValidMessage(msg);
    const got = lines(msg.blocks);
    expect(got).toHaveLength(3);
    expect(got[0]).toContain(`<!date^${(NOW.getTime() - HOUR) / 1000}^{date_short_pretty} {time}|2026-11-26 11:00 UTC>`);
    expect(got[0]).toContain(':x: *Invalid Password* · 198.51.100.9 · Moscow, RU · Application · Browser · Chrome 120 · Mac OSX');
    expect(got[1]).toContain(':x: *API security token required*');
    expect(got[2]).toContain('Success · 203.0.113.7 · San Francisco, US');
    expect(got[2]).not.toContain(':x:');
    expect(allText(msg.blocks)).toContain('3 logins in 30 days · 2 failures · 2 countries (RU, US) · 2 IPs');
    expect(msg.text).toContain('3 logins in 30 days');
  });

  it('splits long histories into sections of at most 20 lines and stays within limits', () => {
    const events = Array.from({ length: 500 }, (_, i) => makeLogin(i + 1, i % 7 === 0 ? { status: 'Invalid Password', success: false } : {}));
    const summary = makeSummary({ total: 500, failures: 72, countries: ['US'], distinctIps: 1 });
    const msg = loginHistoryMessage(input({ events, summary, limit: 500 }));
    expectValidMessage(msg);
    const sections = loginSections(msg.blocks);
    expect(sections.length).toBeGreaterThan(1);
    for (const s of sections) expect((s.text?.text ?? '').split('\n').length).toBeLessThanOrEqual(MAX_LINES_PER_SECTION);
    const shown = lines(msg.blocks).length;
    expect(shown).toBeLessThan(500);
    expect(allText(msg.blocks)).toContain(`Showing the newest ${shown} of 500 logins; ask for fewer days to see more.`);
    // Newest first across section boundaries.
    const epochs = lines(msg.blocks).map((l) => Number(/<!date\^(\d+)\^/.exec(l)?.[1]));
    expect([...epochs].sort((a, b) => b - a)).toEqual(epochs);
  });

  it('notes when the query limit cut the history short', () => {
    const events = Array.from({ length: 10 }, (_, i) => makeLogin(i + 1));
    const summary = makeSummary({ total: 250, countries: ['US'], distinctIps: 1 });
    const msg = loginHistoryMessage(input({ events, summary, limit: 10 }));
    expectValidMessage(msg);
    expect(lines(msg.blocks)).toHaveLength(10);
    expect(allText(msg.blocks)).toContain('Showing the newest 10 of 250 logins.');
  });

  it('escapes crafted browser strings and failure reasons', () => {
    const evil = '<!channel> <https://evil.example|x> & co';
    const events = [makeLogin(1, { browser: evil, status: evil, success: false, application: evil })];
    const msg = loginHistoryMessage(input({ events, summary: makeSummary({ total: 1, failures: 1 }), user: makeUser({ username: evil }) }));
    expectValidMessage(msg);
    const text = allText(msg.blocks.filter((b) => b.type !== 'header'));
    expect(text).not.toMatch(/<!channel>|<https:/);
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('keeps every line within limits even with huge fields', () => {
    const huge = 'h'.repeat(5_000);
    const events = Array.from({ length: 60 }, (_, i) => makeLogin(i + 1, { browser: huge, platform: huge, application: huge }));
    const msg = loginHistoryMessage(input({ events, summary: makeSummary({ total: 60 }) }));
    expectValidMessage(msg);
    expect(lines(msg.blocks).length).toBeGreaterThan(10);
  });
});
