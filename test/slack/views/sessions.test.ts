import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { ACTIONS, decodeValue, INVESTIGATE_ACTIONS } from '../../../src/slack/views/action-ids';
import { MAX_FAMILIES_PER_PAGE, familiesPerPage, sessionsMessage } from '../../../src/slack/views/sessions';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import {
  DAY,
  MOSCOW,
  NOW,
  makeAssessment,
  makeFamily,
  makeFinding,
  makeSession,
  makeSessionsInput as input,
  makeUser,
  sessionId,
} from '../../support/view-factories';

function familySections(blocks: KnownBlock[]): SectionBlock[] {
  return blocks.filter((b): b is SectionBlock => b.type === 'section' && (b.block_id ?? '').startsWith('fam_'));
}

function buttons(blocks: KnownBlock[]): Button[] {
  const out: Button[] = [];
  for (const b of blocks) {
    if (b.type === 'actions') for (const e of b.elements) if (e.type === 'button') out.push(e);
    if (b.type === 'section' && b.accessory?.type === 'button') out.push(b.accessory);
  }
  return out;
}

function actionIds(blocks: KnownBlock[]): string[] {
  return buttons(blocks).map((b) => b.action_id ?? '');
}

/** A realistic spread: a Moscow family flagged high, an ordinary one with children, the bot's own. */
function threeFamilies() {
  const moscow = makeFamily(
    1,
    {
      risk: 90,
      findings: [
        makeFinding({ severity: 'medium', message: 'Session is 45 days old' }),
        makeFinding({ severity: 'high', message: 'Login from Moscow, RU 9,400 km from San Francisco within 2 h' }),
      ],
    },
    [],
  );
  moscow.family.root.place = MOSCOW;
  moscow.family.root.sourceIp = '198.51.100.9';
  const ordinary = makeFamily(2, { risk: 10 }, ['Aura', 'Visualforce', 'Content']);
  const bot = makeFamily(3, { isBotOwn: true }, []);
  bot.family.root.sessionType = 'Oauth2';
  return makeAssessment([moscow, ordinary, bot], {
    userFindings: [makeFinding({ severity: 'high', message: '5 failed logins followed by a success' })],
  });
}

describe('sessionsMessage', () => {
  it('lists families riskiest first with details, findings and folded children', () => {
    const msg = sessionsMessage(input({ assessment: threeFamilies() }));
    expectValidMessage(msg);
    const sections = familySections(msg.blocks);
    expect(sections.map((s) => s.block_id)).toEqual([`fam_${sessionId(1)}`, `fam_${sessionId(2)}`, `fam_${sessionId(3)}`]);

    const first = sections[0]?.text?.text ?? '';
    expect(first).toContain(':warning: Login from Moscow, RU 9,400 km from San Francisco within 2 h');
    // High findings come before medium ones.
    expect(first.indexOf('Moscow, RU 9,400')).toBeLessThan(first.indexOf('45 days old'));
    expect(first).toContain('*UI* · Application');
    expect(first).toContain('<!date^');
    expect(first).toContain('|2026-10-12 12:00 UTC>');
    expect(first).toContain('(45 days ago)');
    expect(first).toContain('IP 198.51.100.9 · Moscow, RU');
    expect(first).toContain('Chrome 120 · Mac OSX · Browser');
    expect(first).toContain('Security STANDARD · expires in 70 min');

    const second = sections[1]?.text?.text ?? '';
    expect(second).toContain('+ Aura, Visualforce, Content (3)');
    expect(second).toContain('San Francisco, California, US');
    expect(second).not.toContain(':warning:');
  });

  it('marks the bot’s own family and gives it no remove button', () => {
    const msg = sessionsMessage(input({ assessment: threeFamilies() }));
    const [first, , bot] = familySections(msg.blocks);
    expect(bot?.text?.text).toContain("(this bot's own session)");
    expect(bot?.accessory).toBeUndefined();
    expect(first?.accessory).toMatchObject({ action_id: ACTIONS.removeSession, style: 'danger' });
    const value = decodeValue((first?.accessory as Button).value);
    expect(value).toEqual({ u: '005000000000001AAA', s: sessionId(1) });
    expect((first?.accessory as Button).confirm).toBeDefined();
  });

  it('summarises totals and user-level findings', () => {
    const msg = sessionsMessage(input({ assessment: threeFamilies() }));
    const summary = msg.blocks.find((b) => b.block_id === 'summary') as SectionBlock;
    expect(summary.text?.text).toContain('6 sessions in 3 families · 2 countries (RU, US) · oldest 45 days (policy: 30 days)');
    expect(summary.text?.text).toContain(':warning: 5 failed logins followed by a success');
    expect(msg.text).toContain('Ada Lovelace (ada@acme.com)');
    expect(msg.text).toContain('6 sessions in 3 families');
  });

  it('offers the user-level buttons only to viewers who can act', () => {
    const acting = sessionsMessage(input({ assessment: threeFamilies() }));
    expect(actionIds(acting.blocks)).toEqual([
      ACTIONS.removeSession,
      INVESTIGATE_ACTIONS.session,
      ACTIONS.removeSession,
      INVESTIGATE_ACTIONS.session,
      ACTIONS.history,
      ACTIONS.removeAll,
      ACTIONS.freeze,
      ACTIONS.resetPassword,
      ACTIONS.revokeTokens,
      ACTIONS.contain,
      ACTIONS.deactivate,
    ]);
    const history = buttons(acting.blocks).find((b) => b.action_id === ACTIONS.history);
    expect(decodeValue(history?.value)).toEqual({ u: '005000000000001AAA', d: 30 });
    expect(allText(acting.blocks)).toContain('<@U0BOT>');

    const viewing = sessionsMessage(input({ assessment: threeFamilies(), canAct: false }));
    expectValidMessage(viewing);
    // Looking at what a session did is read-only: offered to viewers too, on every row but the bot's own.
    expect(actionIds(viewing.blocks)).toEqual([INVESTIGATE_ACTIONS.session, INVESTIGATE_ACTIONS.session, ACTIONS.history]);
    const investigate = buttons(viewing.blocks).filter((b) => b.action_id === INVESTIGATE_ACTIONS.session);
    const rows = familySections(acting.blocks)
      .filter((s) => s.accessory !== undefined)
      .map((s) => ({ u: '005000000000001AAA', s: (s.block_id ?? '').replace(/^fam_/, '') }));
    expect(investigate.map((b) => decodeValue(b.value))).toEqual(rows);
  });

  it('offers the configured Login History window (LOGIN_HISTORY_DAYS) on the Login history button', () => {
    const msg = sessionsMessage(input({ historyDays: 7 }));
    const history = buttons(msg.blocks).find((b) => b.action_id === ACTIONS.history);
    expect(decodeValue(history?.value)).toEqual({ u: '005000000000001AAA', d: 7 });
  });

  it('shows a frozen, inactive user in the header with Unfreeze and no Deactivate', () => {
    const msg = sessionsMessage(input({ user: makeUser({ isFrozen: true, isActive: false }) }));
    expectValidMessage(msg);
    expect(msg.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Ada Lovelace (frozen, inactive)' } });
    expect(allText(msg.blocks)).toContain('ada@acme.com · inactive, frozen · System Administrator');
    const ids = actionIds(msg.blocks);
    expect(ids).toContain(ACTIONS.unfreeze);
    expect(ids).not.toContain(ACTIONS.freeze);
    expect(ids).not.toContain(ACTIONS.deactivate);
  });

  it('keeps the frozen mark even when the name fills the header', () => {
    const msg = sessionsMessage(input({ user: makeUser({ name: 'N'.repeat(400), isFrozen: true }) }));
    expectValidMessage(msg);
    const headerText = (msg.blocks[0] as { text: { text: string } }).text.text;
    expect(headerText.endsWith('… (frozen)')).toBe(true);
    expect(headerText.length).toBeLessThanOrEqual(150);
  });

  it('handles a user without sessions', () => {
    const msg = sessionsMessage(input({ assessment: makeAssessment([]) }));
    expectValidMessage(msg);
    expect(allText(msg.blocks)).toContain('No live Salesforce sessions');
    expect(actionIds(msg.blocks)).not.toContain(ACTIONS.removeAll);
    expect(allText(msg.blocks)).toContain('0 sessions in 0 families');
  });

  it('shows expired sessions as expired', () => {
    const fam = makeFamily(1);
    fam.family.root.expiresAt = new Date(NOW.getTime() - 1000);
    const msg = sessionsMessage(input({ assessment: makeAssessment([fam]) }));
    expect(familySections(msg.blocks)[0]?.text?.text).toContain('· expired');
  });

  it('escapes crafted names, usernames, browsers and findings', () => {
    const evil = '<!channel> <@U123> <https://evil.example|click> & co';
    const fam = makeFamily(1, { findings: [makeFinding({ message: evil })] });
    fam.family.root.login = { loginTime: null, browser: evil, platform: evil, application: evil, loginType: null };
    fam.family.root.sessionType = evil;
    const user = makeUser({ name: evil, username: evil, profileName: evil });
    const msg = sessionsMessage(
      input({
        user,
        assessment: makeAssessment([fam], { userFindings: [makeFinding({ message: evil })] }),
      }),
    );
    expectValidMessage(msg);
    const text = allText(msg.blocks.filter((b) => b.type !== 'header'));
    expect(text).not.toMatch(/<!channel>|<@U123>|<https:/);
    expect(text).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; co');
    expect(msg.text).not.toMatch(/<!channel>|<@U123>/);
    // The only <…> tokens left are the ones the builder made: dates and the bot mention.
    const tokens = text.match(/<[^>]*>/g) ?? [];
    for (const token of tokens) expect(token).toMatch(/^<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]+>$|^<@U0BOT>$/);
  });

  it('ignores a malformed bot user id instead of building a mention from it', () => {
    const msg = sessionsMessage(input({ botUserId: '<!here>' }));
    expectValidMessage(msg);
    expect(allText(msg.blocks)).not.toContain('<!here>');
  });

  it('pages 5,000 sessions: every page valid, totals for all, last page without "Show more"', () => {
    const families = Array.from({ length: 1_667 }, (_, i) =>
      makeFamily(
        i + 1,
        {
          risk: 1_667 - i,
          findings: [
            makeFinding({ severity: 'high', message: `Login from a new country ${'x'.repeat(200)}` }),
            makeFinding({ severity: 'medium', message: `Older than policy ${'y'.repeat(200)}` }),
            makeFinding({ severity: 'low', message: 'Idle for 3 days' }),
          ],
        },
        i % 3 === 0 ? ['Aura', 'Visualforce', 'Content'] : ['Aura', 'Visualforce'],
      ),
    );
    const assessment = makeAssessment(families, {
      userFindings: Array.from({ length: 40 }, (_, i) => makeFinding({ message: `User finding ${i} ${'z'.repeat(150)}` })),
    });
    expect(assessment.totals.sessions).toBeGreaterThanOrEqual(5_000);
    const base = input({ assessment });
    const perPage = familiesPerPage(base);
    expect(perPage).toBeGreaterThan(0);
    expect(perPage).toBeLessThanOrEqual(MAX_FAMILIES_PER_PAGE);
    const pages = Math.ceil(families.length / perPage);

    const seen: string[] = [];
    for (let page = 1; page <= pages; page += 1) {
      const msg = sessionsMessage({ ...base, page });
      expectValidMessage(msg);
      const text = allText(msg.blocks);
      expect(text).toContain(`${assessment.totals.sessions.toLocaleString('en-US')} sessions in 1,667 families`);
      const first = (page - 1) * perPage + 1;
      const last = Math.min(page * perPage, families.length);
      expect(text).toContain(`Showing families ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of 1,667`);
      const more = buttons(msg.blocks).find((b) => b.action_id === ACTIONS.page);
      if (page < pages) {
        expect(more?.text.text).toBe(`Show more (page ${page + 1} of ${pages})`);
        expect(decodeValue(more?.value)).toEqual({ u: '005000000000001AAA', p: page + 1 });
      } else {
        expect(more).toBeUndefined();
      }
      seen.push(...familySections(msg.blocks).map((s) => s.block_id ?? ''));
    }
    // Every family appears exactly once, in assessment order.
    expect(seen).toEqual(families.map((f) => `fam_${f.family.root.id}`));
  });

  it('gives ordinary families full detail on a full page', () => {
    const families = Array.from({ length: 60 }, (_, i) =>
      makeFamily(i + 1, { findings: [makeFinding({ severity: 'high', message: 'Login from Moscow, RU within 2 h' })] }, ['Aura', 'Visualforce']),
    );
    const base = input({ assessment: makeAssessment(families) });
    const msg = sessionsMessage(base);
    expectValidMessage(msg);
    const sections = familySections(msg.blocks);
    expect(sections).toHaveLength(MAX_FAMILIES_PER_PAGE);
    for (const s of sections) {
      expect(s.text?.text).toContain('<!date^');
      expect(s.text?.text).toContain('Chrome 120 · Mac OSX · Browser');
      expect(s.text?.text).toContain('+ Aura, Visualforce (2)');
    }
    expect((sections[0]?.accessory as Button).confirm?.text.text).toContain('and its 2 child sessions');
  });

  it('drops detail rather than families when entries are long', () => {
    const long = 'w'.repeat(290);
    const families = Array.from({ length: 30 }, (_, i) =>
      makeFamily(i + 1, {
        findings: Array.from({ length: 8 }, (_, j) => makeFinding({ severity: 'high', message: `${j} ${long}` })),
      }),
    );
    const base = input({ assessment: makeAssessment(families) });
    const msg = sessionsMessage(base);
    expectValidMessage(msg);
    const sections = familySections(msg.blocks);
    expect(sections).toHaveLength(familiesPerPage(base));
    // Each entry still names its session and its top finding.
    for (const s of sections) {
      expect(s.text?.text).toMatch(/^\*UI\*/);
      expect(s.text?.text).toContain(':warning: 0 w');
    }
  });

  it('clamps out-of-range pages', () => {
    const families = Array.from({ length: 45 }, (_, i) => makeFamily(i + 1));
    const base = input({ assessment: makeAssessment(families) });
    const pages = Math.ceil(45 / familiesPerPage(base));
    const beyond = sessionsMessage({ ...base, page: 99 });
    const last = sessionsMessage({ ...base, page: pages });
    expect(beyond.blocks).toEqual(last.blocks);
    expect(sessionsMessage({ ...base, page: -3 }).blocks).toEqual(sessionsMessage({ ...base, page: 1 }).blocks);
    expect(sessionsMessage({ ...base, page: Number.NaN }).blocks).toEqual(sessionsMessage({ ...base, page: 1 }).blocks);
  });

  it('uses the login time of the session when known, else its creation', () => {
    const loginTime = new Date(NOW.getTime() - 2 * DAY);
    const fam = makeFamily(1);
    fam.family.root = makeSession(1, {
      login: { loginTime, browser: null, platform: null, application: null, loginType: null },
      loginType: null,
      securityLevel: null,
    });
    const msg = sessionsMessage(input({ assessment: makeAssessment([fam]) }));
    const text = familySections(msg.blocks)[0]?.text?.text ?? '';
    expect(text).toContain(`<!date^${loginTime.getTime() / 1000}^`);
    expect(text).toContain('(2 days ago)');
    expect(text).toMatch(/^\*UI\*\n/);
  });
});
