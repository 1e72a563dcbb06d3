/** The org view's Block Kit (src/slack/views/org.ts), its CSV (org-csv.ts) and its button values. */
import { DEFAULT_POLICY, type Session } from '../../../src/domain/types';
import type { OrgLine, OrgPerson, OrgSummary } from '../../../src/operations/org-view';
import { decodeOrgPage, encodeOrgPage, ORG_ACTIONS } from '../../../src/slack/views/action-ids';
import { HOME_ORG_LINES_PER_KIND, homeOrgBlocks, ORG_LINES_PER_PAGE, orgMessage, orgPageCount, sourceText } from '../../../src/slack/views/org';
import { ORG_CSV_HEADER, orgSessionsCsv } from '../../../src/slack/views/org-csv';
import { blockTextLength } from '../../../src/slack/views/text';
import { checkMessageBlocks } from '../../standins/slack/blockkit';
import { makeSession, NOW } from '../../support/view-factories';

const MIN = 60_000;

function person(i: number, name: string | null = `Person ${i}`): OrgPerson {
  return { userId: `005${String(i).padStart(12, '0')}AAA`, name, username: name ? `p${i}@acme.com` : null };
}

function summary(lines: OrgLine[], over: Partial<OrgSummary> = {}): OrgSummary {
  return {
    now: NOW,
    source: { kind: 'salesforce', calls: 1, extraCalls: 0, mirror: 'off', mirrorPolledAt: null },
    totals: { sessions: 120, families: 40, people: 12, apiOnlyPeople: 1, integrationSessions: 3, botOwn: 1, unknownPlace: 0 },
    bySessionType: [
      { label: 'UI', count: 40 },
      { label: 'Aura', count: 80 },
    ],
    byLoginType: [{ label: 'Application', count: 120 }],
    lines,
    alerts: { count: 0, capped: false, bySeverity: { high: 0, medium: 0, low: 0 } },
    tokens: { state: 'read', count: 0, people: 0, complete: true },
    policy: DEFAULT_POLICY,
    ...over,
  };
}

const holders = (n: number): OrgLine[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'holder' as const, person: person(i), sessions: 100 - i, families: 10 }));

function blockIds(blocks: unknown[]): string[] {
  return blocks.map((b) => (b as { block_id?: string }).block_id ?? '');
}

function text(message: { text: string; blocks: unknown[] }): string {
  return `${message.text}\n${JSON.stringify(message.blocks)}`;
}

describe('orgMessage', () => {
  it.each([
    [0, 1],
    [ORG_LINES_PER_PAGE, 1],
    [ORG_LINES_PER_PAGE + 1, 2],
    [3 * ORG_LINES_PER_PAGE, 3],
  ])('%i lines make %i pages', (lines, pages) => {
    expect(orgPageCount(summary(holders(lines)))).toBe(pages);
  });

  it('shows every kind on page 1, the empty ones as nobody / none', () => {
    const msg = orgMessage({ summary: summary(holders(2)), page: 1 });
    const t = text(msg);
    expect(t).toContain('*Signed in from several countries at once*: nobody');
    expect(t).toContain('*Sessions of people kept in use past a working day* (working day 16 h): nobody');
    expect(t).toContain('*Integration sessions past rotation* (rotation 30 days): nobody');
    expect(t).toContain("*Integrations' OAuth tokens past rotation* (rotation 30 days): nobody");
    expect(t).toContain('*Most sessions*: the top 2');
    expect(t).toContain('*Open alerts*: none');
    expect(checkMessageBlocks(msg.blocks)).toEqual([]);
  });

  it('pages within 50 blocks and the text cap even with long names, and never repeats or drops a line', () => {
    const long: OrgLine[] = Array.from({ length: 95 }, (_, i) => ({
      kind: 'countries' as const,
      person: person(i, `${'Maximilian '.repeat(8)}${i}`),
      countries: ['AE', 'BR', 'CN', 'DE', 'FR', 'IN', 'JP', 'RU', 'US', 'ZA'],
      sessions: 40,
    }));
    const s = summary([...long, ...holders(10)]);
    const seen: string[] = [];
    for (let page = 1; page <= orgPageCount(s); page++) {
      const msg = orgMessage({ summary: s, page });
      expect(checkMessageBlocks(msg.blocks)).toEqual([]);
      expect(msg.blocks.length).toBeLessThanOrEqual(50);
      expect(blockTextLength(msg.blocks)).toBeLessThan(11_000);
      seen.push(...blockIds(msg.blocks).filter((id) => /^org_(countries|holder)_\d+$/.test(id)));
    }
    expect(seen).toEqual([...long, ...holders(10)].map((l, i) => `org_${l.kind}_${i}`));
  });

  it('stays below the text cap in the worst case: longest names and usernames, many countries, every kind on the page', () => {
    const longest = (i: number): OrgPerson => ({ userId: person(i).userId, name: `${'W'.repeat(200)}${i}`, username: `${'w'.repeat(200)}@acme.com` });
    const kinds: OrgLine[] = [];
    for (let i = 0; i < ORG_LINES_PER_PAGE; i++) {
      const p = longest(i);
      kinds.push(
        i % 3 === 0
          ? { kind: 'countries', person: p, countries: Array.from({ length: 60 }, (_, c) => `C${c}`), sessions: 9_999 }
          : i % 3 === 1
            ? {
                kind: 'past-policy',
                person: p,
                families: 999,
                oldestCreatedAt: new Date(NOW.getTime() - 400 * 86_400_000),
                oldestDays: 400,
                beyondMaxAge: true,
              }
            : {
                kind: 'alerts',
                person: p,
                count: 99,
                worst: 'high',
                rules: ['distant-places', 'failed-then-success', 'impossible-travel', 'new-country', 'session-timeout', 'token-age'],
              },
      );
    }
    const manyTypes = Array.from({ length: 40 }, (_, i) => ({ label: `${'T'.repeat(60)}${i}`, count: 99_999 }));
    const msg = orgMessage({
      summary: summary(
        kinds.sort((a, b) => ['countries', 'past-policy', 'alerts'].indexOf(a.kind) - ['countries', 'past-policy', 'alerts'].indexOf(b.kind)),
        { bySessionType: manyTypes, byLoginType: manyTypes },
      ),
      page: 1,
    });
    expect(checkMessageBlocks(msg.blocks)).toEqual([]);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(blockTextLength(msg.blocks)).toBeLessThan(11_000);
    expect(text(msg)).toContain('60 countries at once (C0, C1, C2, C3, C4, C5, C6, C7 and 52 more)');
  });

  it('puts the headings of empty kinds where they fall in reading order on later pages', () => {
    const countries: OrgLine[] = Array.from({ length: ORG_LINES_PER_PAGE }, (_, i) => ({
      kind: 'countries' as const,
      person: person(i),
      countries: ['RU', 'US'],
      sessions: 2,
    }));
    const s = summary([...countries, ...holders(3)]);
    const page1 = blockIds(orgMessage({ summary: s, page: 1 }).blocks);
    const page2 = blockIds(orgMessage({ summary: s, page: 2 }).blocks);
    expect(page1.filter((id) => id.startsWith('org_h_'))).toEqual(['org_h_countries']);
    expect(page2.filter((id) => id.startsWith('org_h_'))).toEqual(['org_h_past-policy', 'org_h_integration', 'org_h_tokens', 'org_h_holder', 'org_h_alerts']);
  });

  it.each<[string, OrgSummary['tokens'], string]>([
    ['not in the mirror', { state: 'unknown', why: 'not-in-mirror' }, "not read — the monitor's copy holds sessions, not tokens"],
    [
      'refused',
      { state: 'unknown', why: 'refused', detail: 'Salesforce refused: INSUFFICIENT_ACCESS' },
      'unknown — Salesforce refused the read (Salesforce refused: INSUFFICIENT_ACCESS)',
    ],
  ])('says why tokens are unknown (%s), never "nobody"', (_name, tokens, expected) => {
    const t = text(orgMessage({ summary: summary([], { tokens }), page: 1 }));
    expect(t).toContain(expected);
    expect(t).not.toContain("*Integrations' OAuth tokens past rotation* (rotation 30 days): nobody");
  });

  it('says "at least" when there were more old tokens than one page', () => {
    const line: OrgLine = { kind: 'tokens', person: person(1), apps: ['Data Loader'], count: 3, oldestDays: 90 };
    const t = text(orgMessage({ summary: summary([line], { tokens: { state: 'read', count: 3, people: 0, complete: false } }), page: 1 }));
    expect(t).toContain("*Integrations' OAuth tokens past rotation* (rotation 30 days): at least 1 integration (the oldest tokens only)");
    expect(t).toContain('3 tokens past rotation (Data Loader); oldest 90 days (policy 30)');
  });

  it("counts people's old app tokens without listing them, as the monitor judges only integrations'", () => {
    const t = text(orgMessage({ summary: summary([], { tokens: { state: 'read', count: 0, people: 7, complete: true } }), page: 1 }));
    expect(t).toContain("*Integrations' OAuth tokens past rotation* (rotation 30 days): nobody; 7 people's app tokens as old not listed");
  });

  it('says when a kind continues from the previous page', () => {
    const s = summary(holders(ORG_LINES_PER_PAGE + 5));
    expect(text(orgMessage({ summary: s, page: 2 }))).toContain(`*Most sessions*: the top ${ORG_LINES_PER_PAGE + 5}, continued`);
  });

  it('escapes what Salesforce people typed: a name cannot ping the channel or forge a link', () => {
    const msg = orgMessage({ summary: summary([{ kind: 'holder', person: person(1, '<!channel> <https://evil|click>'), sessions: 3, families: 1 }]), page: 1 });
    const line = msg.blocks.find((b) => (b as { block_id?: string }).block_id === 'org_holder_0') as { text: { type: string; text: string } };
    expect(line.text.type).toBe('mrkdwn');
    expect(line.text.text).not.toContain('<!channel>');
    expect(line.text.text).toContain('&lt;!channel&gt; &lt;https://evil|click&gt;');
  });

  it('names a person it could not name by id, saying why', () => {
    const unnamed = { kind: 'holder' as const, person: person(7, null), sessions: 3, families: 1 };
    expect(text(orgMessage({ summary: summary([unnamed]), page: 1 }))).toContain('*005000000000007AAA* (name not known)');
    const fromMirror = summary([unnamed], {
      source: { kind: 'mirror', polledAt: new Date(NOW.getTime() - 40_000), scannedAt: new Date(NOW.getTime() - 6 * MIN) },
    });
    expect(text(orgMessage({ summary: fromMirror, page: 1 }))).toContain("(name not in the monitor's copy)");
  });

  it('carries Previous / Next / Export CSV with distinct action ids, and Show sessions per line', () => {
    const s = summary(holders(2 * ORG_LINES_PER_PAGE + 1));
    const navOf = (snapshotId?: string) =>
      (
        orgMessage({ summary: s, page: 2, ...(snapshotId ? { snapshotId } : {}) }).blocks.find((b) => (b as { block_id?: string }).block_id === 'org_nav') as {
          elements: Array<{ action_id: string; value: string }>;
        }
      ).elements.map((e) => [e.action_id, e.value]);
    expect(navOf()).toEqual([
      [ORG_ACTIONS.previousPage, '1'],
      [ORG_ACTIONS.page, '3'],
      [ORG_ACTIONS.exportCsv, 'csv'],
    ]);
    expect(navOf('00000000000000ff')).toEqual([
      [ORG_ACTIONS.previousPage, '1.00000000000000ff'],
      [ORG_ACTIONS.page, '3.00000000000000ff'],
      [ORG_ACTIONS.exportCsv, 'csv'],
    ]);
    const line = orgMessage({ summary: s, page: 1 }).blocks.find((b) => (b as { block_id?: string }).block_id === 'org_holder_0') as {
      accessory: { action_id: string; value: string };
    };
    expect(line.accessory).toMatchObject({ action_id: ORG_ACTIONS.showSessions, value: JSON.stringify({ u: person(0).userId }) });
  });

  it('clamps a page past the end to the last page', () => {
    const s = summary(holders(ORG_LINES_PER_PAGE + 1));
    expect(text(orgMessage({ summary: s, page: 9 }))).toContain('page 2 of 2');
  });
});

describe('homeOrgBlocks (App Home)', () => {
  it('shows the summary and the first people of each kind as text (a Home tab has no response_url for Show sessions)', () => {
    const blocks = homeOrgBlocks(summary(holders(HOME_ORG_LINES_PER_KIND + 4)));
    const t = JSON.stringify(blocks);
    expect(t).toContain('*Salesforce sessions in the org*');
    expect(t).toContain('*120 live sessions* in 40 logins · *12 people* online (1 through integrations only)');
    expect(t).toContain('…and 4 more in `/sessions`');
    expect(t).not.toContain('"accessory"');
    expect(checkMessageBlocks(blocks)).toEqual([]);
  });

  it('says why nothing is shown when the mirror is not fresh', () => {
    expect(JSON.stringify(homeOrgBlocks(null))).toContain("Not shown: the monitor's copy of the org is not fresh");
  });
});

describe('sourceText', () => {
  it.each<[string, OrgSummary['source'], RegExp]>([
    [
      'the mirror, with its age',
      { kind: 'mirror', polledAt: new Date(NOW.getTime() - 5 * MIN), scannedAt: new Date(NOW.getTime() - 12 * MIN) },
      /no Salesforce call: new sessions as of 5 min ago, ended ones dropped at its full read 12 min ago/,
    ],
    [
      'Salesforce with the monitor off',
      { kind: 'salesforce', calls: 3, extraCalls: 0, mirror: 'off', mirrorPolledAt: null },
      /3 API calls \(one per 2,000 sessions\); the monitor is off/,
    ],
    [
      'Salesforce with a stale mirror',
      { kind: 'salesforce', calls: 1, extraCalls: 0, mirror: 'stale', mirrorPolledAt: new Date(NOW.getTime() - 3 * 3_600_000) },
      /not fresh \(last poll 3 h ago\)/,
    ],
    [
      'Salesforce before the first poll',
      { kind: 'salesforce', calls: 1, extraCalls: 0, mirror: 'stale', mirrorPolledAt: null },
      /the monitor has not read the org yet/,
    ],
    [
      'shorter pages that cost more calls',
      { kind: 'salesforce', calls: 4, extraCalls: 2, mirror: 'off', mirrorPolledAt: null },
      /4 API calls \(one per 2,000 sessions\); Salesforce sent shorter pages than asked, which cost 2 more calls; the monitor is off/,
    ],
  ])('%s', (_name, source, expected) => {
    expect(sourceText(source, NOW)).toMatch(expected);
  });
});

describe('orgSessionsCsv', () => {
  const root = makeSession(1, { userId: '005000000000001AAA' });
  const child = makeSession(2, { userId: '005000000000001AAA', parentId: root.id, sessionType: 'Aura' });
  const people = new Map<string, OrgPerson>([
    ['005000000000001AAA', { userId: '005000000000001AAA', name: '=HYPERLINK("x"), "Ada"', username: 'ada@acme.com' }],
  ]);

  it('writes the header, one row per session with its login root, quoting and defusing formulas', () => {
    const lines = orgSessionsCsv({ sessions: [root, child], people, botUserId: null }).split('\r\n');
    expect(lines[0]).toBe(ORG_CSV_HEADER.join(','));
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[2]?.startsWith(`${child.id},${root.id},005000000000001AAA,"'=HYPERLINK(""x""), ""Ada""",ada@acme.com,Aura,`)).toBe(true);
    expect(lines[1]).toContain(`,${root.createdAt.toISOString()},`);
  });

  it('leaves what is unknown empty, never a made-up value', () => {
    const bare: Session = { ...makeSession(3, { userId: '005000000000004AAA' }), loginType: null, sourceIp: null, place: null };
    const row = orgSessionsCsv({ sessions: [bare], people: new Map(), botUserId: null }).split('\r\n')[1] ?? '';
    expect(row.split(',').slice(2, 10)).toEqual(['005000000000004AAA', '', '', 'UI', '', '', '', '']);
  });
});

describe('decodeOrgPage / encodeOrgPage', () => {
  const ID = '0123456789abcdef';
  it.each<[unknown, ReturnType<typeof decodeOrgPage>]>([
    ['1', { page: 1, snapshot: null }],
    ['42', { page: 42, snapshot: null }],
    ['1000', { page: 1000, snapshot: null }],
    [`2.${ID}`, { page: 2, snapshot: ID }],
    ['0', null],
    ['1001', null],
    ['-1', null],
    ['01', null],
    ['2.5', null],
    [`2.${ID.toUpperCase()}`, null],
    [`2.${ID}0`, null],
    [`2.`, null],
    [2, null],
    ['', null],
  ])('%j → %j', (value, expected) => {
    expect(decodeOrgPage(value)).toEqual(expected);
  });

  it('round-trips', () => {
    for (const v of [
      { page: 3, snapshot: null },
      { page: 7, snapshot: ID },
    ])
      expect(decodeOrgPage(encodeOrgPage(v))).toEqual(v);
  });
});
