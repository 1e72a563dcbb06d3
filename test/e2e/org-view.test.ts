/**
 * `/sessions` alone: the org view, end to end — the real Bolt app and real jsforce against the
 * Slack and Salesforce stand-ins on loopback. It must count every live session of the org in
 * one Salesforce call per 2,000 sessions (none while the monitor's mirror is fresh), name the
 * person signed in from two countries, page within Block Kit's limits and export the full list.
 */
import { ORG_ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { ORG_LINES_PER_PAGE } from '../../src/slack/views/org';
import { ORG_CSV_HEADER } from '../../src/slack/views/org-csv';
import { blockTextLength } from '../../src/slack/views/text';
import { generateOrg } from '../standins/salesforce/generator';
import { everything } from '../standins/salesforce/scenarios';
import { checkMessageBlocks, checkViewPayload } from '../standins/slack/blockkit';
import { COMMAND_CHANNEL, PEOPLE, replyText, startHarness, type Harness, type Reply } from '../support/harness';

const now = new Date();

function buttonsOf(reply: Reply): Array<{ action_id: string; value: string }> {
  const out: Array<{ action_id: string; value: string }> = [];
  for (const block of reply.blocks as Array<{ accessory?: { action_id: string; value: string }; elements?: Array<{ action_id?: string; value?: string }> }>) {
    if (block.accessory?.action_id) out.push({ action_id: block.accessory.action_id, value: block.accessory.value });
    for (const e of block.elements ?? []) if (e.action_id && e.value !== undefined) out.push({ action_id: e.action_id, value: e.value });
  }
  return out;
}

async function click(h: Harness, actionId: string, value: string): Promise<Reply> {
  const res = await h.driver.blockAction({ user_id: PEOPLE.admin.id, channel_id: COMMAND_CHANNEL, ephemeral: true, actions: [{ action_id: actionId, value }] });
  const posted = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 10_000, `an answer to ${actionId}`);
  return posted.body as Reply;
}

/** The positions in the org's list of the person lines a page shows (their block ids end with it). */
function lineIndices(reply: Reply): number[] {
  return reply.blocks.flatMap((b) => {
    const m = /^org_[a-z-]+_(\d+)$/.exec((b as { block_id?: string }).block_id ?? '');
    return m ? [Number(m[1])] : [];
  });
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

function expectWithinSlackLimits(reply: Reply): void {
  expect(checkMessageBlocks(reply.blocks)).toEqual([]);
  expect(reply.blocks.length).toBeLessThanOrEqual(50);
  expect(blockTextLength(reply.blocks as never)).toBeLessThan(11_000);
}

describe('/sessions alone: the org view from Salesforce (monitor off)', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  let live: number;
  beforeAll(async () => {
    ids = everything({ now });
    // A small page size for the per-user lookups must not make the org view cost more.
    h = await startHarness({ org: ids.org, warden: { queryBatchSize: 200 } });
    // Counted after the start: the bot's own login is a session too.
    live = ids.org.count('AuthSession');
  });
  afterAll(() => h.close());
  beforeEach(() => h.sf.resetRequests());

  it('counts every live session of an org with hundreds of sessions in one call and names the user signed in from two countries', async () => {
    expect(live).toBeGreaterThan(400);
    const { reply } = await h.command('');
    const text = replyText(reply);
    expect(text).toContain(`${live.toLocaleString('en-US')} live sessions`);
    expect(text).toContain('Signed in from several countries at once');
    expect(text).toMatch(/\*Bob Baker\* bob@acme\.com: 2 countries at once \(RU, US\)/);
    expect(text).toContain('1 API call (one per 2,000 sessions)');
    expect(text).toContain('the monitor is off');
    // One Composite request: the first 2,000 sessions and the old OAuth tokens.
    const calls = h.sf.apiCalls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
    expect(decodeURIComponent(calls[0]?.body ?? '')).toMatch(/FROM AuthSession[\s\S]*FROM OauthToken WHERE CreatedDate </);
    // The integration's 400-day token is listed; Bob's 120-day phone token is counted, not listed (as the monitor judges).
    expect(text).toMatch(/\*Acme Integration\* integration@acme\.com: 1 token past rotation \(Acme Data Sync\); oldest 40\d days/);
    expect(text).toContain("1 person's app token as old not listed");
    expectWithinSlackLimits(reply);
  });

  it('`/sessions org` is the same view; usage moved to `/sessions help`', async () => {
    expect(replyText((await h.command('org')).reply)).toContain('Salesforce sessions in the org');
    const help = replyText((await h.command('help')).reply);
    expect(help).toContain('/sessions history');
    expect(help).toContain('/sessions org');
  });

  it('puts Show sessions on every line, which answers with the per-user lookup below the view', async () => {
    const { reply } = await h.command('');
    const show = buttonsOf(reply).filter((b) => b.action_id === ORG_ACTIONS.showSessions);
    expect(show.length).toBeGreaterThan(0);
    expect(show).toContainEqual({ action_id: ORG_ACTIONS.showSessions, value: encodeValue({ u: ids.compromised.userId }) });
    h.sf.resetRequests();
    const answer = await click(h, ORG_ACTIONS.showSessions, encodeValue({ u: ids.compromised.userId }));
    expect(answer.replace_original).toBe(false);
    expect(replyText(answer)).toContain('Moscow');
    expect(h.sf.apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
  });

  it('Export CSV sends the requester a CSV in their DM with the bot whose rows are the live sessions', async () => {
    const answer = await click(h, ORG_ACTIONS.exportCsv, 'csv');
    expect(replyText(answer)).toContain(`Sent: ${live.toLocaleString('en-US')} sessions as a CSV file`);
    const completed = h.slack.delivered('files.completeUploadExternal');
    expect(completed).toHaveLength(1);
    const fileId = (completed[0]?.response.files as Array<{ id: string }>)[0]?.id ?? '';
    const file = h.slack.files.get(fileId);
    expect(file?.filename).toMatch(/^salesforce-sessions-.*\.csv$/);
    // Shared in the bot's IM with the requester, in the thread of the message that introduces it.
    const dm = h.slack.messages.find((m) => m.channel === file?.shared?.channel && m.ts === file?.shared?.threadTs);
    expect(file?.shared?.channel).toMatch(/^D/);
    expect(dm?.text).toContain(`${live.toLocaleString('en-US')} rows`);
    const lines = (file?.bytes?.toString('utf8') ?? '').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(ORG_CSV_HEADER.join(','));
    const sessionIds = lines.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(sessionIds)).toEqual(new Set([...ids.org.all('AuthSession')].map((r) => r.Id)));
    expect(sessionIds).toHaveLength(live);
    expect(h.logs.some((l) => l.includes('"org sessions exported as CSV"') && l.includes(PEOPLE.admin.id) && l.includes(`"rows":${live}`))).toBe(true);
  });

  it('still counts the sessions when Salesforce refuses the token read, and says tokens are unknown and why', async () => {
    h.sf.faults.denyObject('OauthToken', 'INSUFFICIENT_ACCESS');
    try {
      const text = replyText((await h.command('')).reply);
      expect(text).toContain(`${live.toLocaleString('en-US')} live sessions`);
      expect(text).toMatch(
        /\*Integrations' OAuth tokens past rotation\* \(rotation 30 days\): unknown — Salesforce refused the read \(INSUFFICIENT_ACCESS: .+\); other people's tokens need Customize Application/,
      );
      expect(h.sf.apiCalls()).toHaveLength(1);
    } finally {
      h.sf.faults.reset();
    }
  });

  it('names Salesforce as the cause when the read fails, with no stack trace', async () => {
    h.sf.faults.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable', match: /composite/ });
    const text = replyText((await h.command('')).reply);
    expect(text).toMatch(/Salesforce/);
    expect(text).toMatch(/ref-[0-9a-f]{8}/);
    expect(text).not.toMatch(/\bat .+\.ts:\d+/);
  });

  it('tells the requester when Slack refuses the CSV file, naming Slack', async () => {
    h.slack.faults.failNext('files.getUploadURLExternal', 'internal_error');
    const answer = await click(h, ORG_ACTIONS.exportCsv, 'csv');
    expect(replyText(answer)).toContain('Slack did not take the CSV file (');
    expect(replyText(answer)).toContain('internal_error');
  });

  it('refuses people who may not use the bot, reading nothing', async () => {
    const res = await h.driver.blockAction({
      user_id: PEOPLE.outsider.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ORG_ACTIONS.exportCsv, value: 'csv' }],
    });
    const posted = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl));
    expect(replyText(posted.body as object)).toContain('Only Session Warden admins and approvers');
    expect(h.sf.apiCalls()).toEqual([]);
  });
});

describe('/sessions alone on a larger org: calls per 2,000 sessions and paging', () => {
  const SESSIONS = 4_500;
  let h: Harness;
  let live: number;
  beforeAll(async () => {
    const { org } = generateOrg({ seed: 18, now, users: 400, sessions: SESSIONS, loginRows: 3_000 });
    h = await startHarness({ org });
    // The generated sessions and the bot's own.
    live = org.count('AuthSession');
  });
  afterAll(() => h.close());
  beforeEach(() => h.sf.resetRequests());

  it('reads 4,500 sessions in 3 calls (one per 2,000) and pages its lines past one message', async () => {
    expect(live).toBe(SESSIONS + 1);
    const { reply } = await h.command('');
    expect(replyText(reply)).toContain(`${live.toLocaleString('en-US')} live sessions`);
    expect(h.sf.apiCalls()).toHaveLength(Math.ceil(live / 2000));
    expect(replyText(reply)).toContain('3 API calls (one per 2,000 sessions); the monitor is off');
    // The stand-in shortens the first page as Salesforce may (501 + 2,000 + 2,000 rows): that costs no extra call and is not reported as one.
    expect(replyText(reply)).not.toContain('shorter pages');
    expectWithinSlackLimits(reply);
    const next = buttonsOf(reply).find((b) => b.action_id === ORG_ACTIONS.page);
    expect(next?.value).toMatch(/^2\.[0-9a-f]{16}$/);
    // Next pages through the read the view was built from: no second read of the org.
    h.sf.resetRequests();
    const page2 = await click(h, ORG_ACTIONS.page, next?.value ?? '');
    expect(h.sf.apiCalls()).toEqual([]);
    expect(page2.replace_original).toBe(true);
    expect(replyText(page2)).toMatch(/page 2 of \d+/);
    expectWithinSlackLimits(page2);
    // Page 2 continues the list where page 1 stopped, in reading order, each line once.
    expect(lineIndices(reply)).toEqual(range(0, ORG_LINES_PER_PAGE));
    expect(lineIndices(page2)).toEqual(range(ORG_LINES_PER_PAGE, 2 * ORG_LINES_PER_PAGE));
    expect(buttonsOf(page2).filter((b) => b.action_id === ORG_ACTIONS.showSessions)).toHaveLength(ORG_LINES_PER_PAGE);
    expect(buttonsOf(page2)).toContainEqual({ action_id: ORG_ACTIONS.previousPage, value: `1.${next?.value.split('.')[1] ?? ''}` });
  });

  it('reads the org again, at the same cost, when the kept read is gone (expired, or another replica took the click)', async () => {
    const page = await click(h, ORG_ACTIONS.page, '2.ffffffffffffffff');
    expect(replyText(page)).toMatch(/page 2 of \d+/);
    expect(h.sf.apiCalls()).toHaveLength(Math.ceil(live / 2000));
  });

  it('answers a page button that was tampered with as out of date', async () => {
    const answer = await click(h, ORG_ACTIONS.page, '0');
    expect(replyText(answer)).toContain('out of date');
    expect(h.sf.apiCalls()).toEqual([]);
  });
});

describe('/sessions alone while the monitor mirror is fresh', () => {
  let h: Harness;
  let live: number;
  beforeAll(async () => {
    const ids = everything({ now });
    // The monitor polls once at start (backfill and full read), then not for an hour.
    h = await startHarness({ org: ids.org, env: { MONITOR_INTERVAL_SECONDS: '3600' } });
    await h.slack.waitFor(() => h.warden.monitor.current().lastPollAt, 30_000, 'the monitor to poll once');
    live = ids.org.count('AuthSession');
  });
  afterAll(() => h.close());
  beforeEach(() => h.sf.resetRequests());

  it('answers from the mirror with no Salesforce call, and says how old it is', async () => {
    const { reply } = await h.command('');
    const text = replyText(reply);
    expect(text).toContain(`${live.toLocaleString('en-US')} live sessions`);
    expect(text).toContain("From the monitor's copy, no Salesforce call");
    expect(text).toMatch(/new sessions as of (under 1 min|\d+ min) ago, ended ones dropped at its full read (under 1 min|\d+ min) ago/);
    expect(text).toMatch(/2 countries at once \(RU, US\)/);
    expect(text).toContain("*Integrations' OAuth tokens past rotation* (rotation 30 days): not read — the monitor's copy holds sessions, not tokens");
    expect(h.sf.apiCalls()).toEqual([]);
  });

  it('shows admins the same summary on App Home, from the mirror, without a Salesforce call', async () => {
    const before = h.slack.delivered('views.publish').length;
    await h.driver.appHomeOpened({ user_id: PEOPLE.admin.id });
    await h.slack.waitFor(() => h.slack.delivered('views.publish').length > before, 10_000, 'the Home tab');
    const view = [...h.slack.views.values()].find((v) => v.user_id === PEOPLE.admin.id && v.view.type === 'home');
    expect(checkViewPayload(view?.view)).toEqual([]);
    const text = JSON.stringify(view?.view.blocks);
    expect(text).toContain('*Salesforce sessions in the org*');
    expect(text).toContain(`${live.toLocaleString('en-US')} live sessions`);
    expect(text).toMatch(/\*Bob Baker\* bob@acme\.com: 2 countries at once \(RU, US\)/);
    expect(h.sf.apiCalls()).toEqual([]);
  });

  it('reads Salesforce again once the mirror is stale (the monitor stopped polling), saying why', async () => {
    h.advance(4 * 3600_000);
    const { reply } = await h.command('');
    expect(replyText(reply)).toContain("the monitor's copy is not fresh (last poll 4 h ago)");
    expect(h.sf.apiCalls()).toHaveLength(1);
  });

  it('App Home then says the summary is not shown and why, still without calling Salesforce', async () => {
    h.sf.resetRequests();
    const before = h.slack.delivered('views.publish').length;
    await h.driver.appHomeOpened({ user_id: PEOPLE.admin.id });
    await h.slack.waitFor(() => h.slack.delivered('views.publish').length > before, 10_000, 'the Home tab');
    const view = [...h.slack.views.values()].find((v) => v.user_id === PEOPLE.admin.id && v.view.type === 'home');
    expect(JSON.stringify(view?.view.blocks)).toContain("Not shown: the monitor's copy of the org is not fresh");
    expect(h.sf.apiCalls()).toEqual([]);
  });
});
