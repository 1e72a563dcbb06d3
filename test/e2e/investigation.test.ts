/**
 * "What did this session do?" end to end: the real Bolt app and jsforce against the stand-ins.
 * Bob's Moscow session assigned a permission set and installed a connected app; the day-before
 * change and Alice's change on Bob must not be shown.
 */
import { buildEvidencePack } from '../../src/requests/evidence-pack';
import { ACTIONS, encodeValue, INVESTIGATE_ACTIONS } from '../../src/slack/views/action-ids';
import { checkMessageBlocks } from '../standins/slack/blockkit';
import { setPermission } from '../standins/salesforce/permissions';
import { Org } from '../standins/salesforce/org';
import { withBot } from '../standins/salesforce/scenarios';
import { buttonValue, click as clickRequest, requestAction, thread, waitForState } from '../support/approval-flow';
import { addInvestigationScenario, INVESTIGATION_TEXT, type InvestigationScenario } from '../support/investigation-scenario';
import { COMMAND_CHANNEL, PEOPLE, replyText, startHarness, type Harness } from '../support/harness';

const now = new Date();

async function click(h: Harness, actionId: string, value: string, user: string = PEOPLE.admin.id): Promise<string> {
  const res = await h.driver.blockAction({ user_id: user, channel_id: COMMAND_CHANNEL, ephemeral: true, actions: [{ action_id: actionId, value }] });
  const posted = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 15_000, `the answer to ${actionId}`);
  const body = posted.body as { response_type?: string; blocks?: unknown[] };
  expect(body.response_type).toBe('ephemeral');
  expect(checkMessageBlocks(body.blocks ?? [])).toEqual([]);
  return replyText(body);
}

describe('What did this session do?', () => {
  let h: Harness;
  let org: Org;
  let ids: InvestigationScenario;
  let botUserId: string;
  beforeAll(async () => {
    org = new Org();
    botUserId = withBot(org).botUserId;
    ids = addInvestigationScenario(org, { now });
    h = await startHarness({ org });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sf.resetRequests();
    setPermission(org, botUserId, 'PermissionsViewSetup', true);
    setPermission(org, botUserId, 'PermissionsViewEventLogFiles', true);
  });

  async function moscowButton(): Promise<string> {
    const { reply } = await h.command('bob@acme.com');
    const values = JSON.stringify(reply.blocks);
    expect(values).toContain(INVESTIGATE_ACTIONS.session);
    const value = JSON.stringify({ u: ids.userId, s: ids.moscowRootId });
    expect(buttonValue(reply.blocks, INVESTIGATE_ACTIONS.session)).toBeDefined();
    expect(values).toContain(JSON.stringify(value).slice(1, -1));
    h.sf.resetRequests();
    return value;
  }

  it('shows the permission set and the connected app as ways back in, and neither the day-before change nor another person’s', async () => {
    const text = await click(h, INVESTIGATE_ACTIONS.session, await moscowButton());
    expect(text).toContain('Ways back in (2)');
    expect(text).toContain(INVESTIGATION_TEXT.permSet);
    expect(text).toContain(INVESTIGATION_TEXT.connectedApp);
    expect(text).toContain('Permission set or group assigned');
    expect(text).toContain('Connected app created, installed or changed');
    expect(text).not.toContain(INVESTIGATION_TEXT.dayBefore);
    expect(text).not.toContain(INVESTIGATION_TEXT.others);
    // MFA prompt at the Moscow login, and the free log offered at its price.
    expect(text).toContain('Succeeded');
    expect(text).toMatch(/1 API Total Usage file cover the window; reading them costs 1 API call/);
    expect(text).toContain('need Event Monitoring');
    // Session lookup + the investigation's one Composite call.
    expect(h.sf.apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite', 'POST /services/data/v62.0/composite']);
    expect(text).toContain('Cost: 2 Salesforce API calls');
  });

  it('reads the API Total Usage file on request, for one more call, and names what the session touched', async () => {
    const text = await click(h, INVESTIGATE_ACTIONS.apiCalls, await moscowButton());
    expect(text).toContain('3× GET Account');
    expect(text).toContain('1× POST Contact');
    expect(text).not.toContain('Opportunity');
    expect(text).not.toContain('Lead');
    expect(text).toContain('not by session');
    expect(h.sf.apiCalls()).toHaveLength(3);
  });

  it('says which permission hides the audit trail and the log files, instead of reporting nothing', async () => {
    setPermission(org, botUserId, 'PermissionsViewSetup', false);
    setPermission(org, botUserId, 'PermissionsViewEventLogFiles', false);
    const text = await click(h, INVESTIGATE_ACTIONS.session, await moscowButton());
    expect(text).toContain('Setup changes: unknown');
    expect(text).toContain('View Setup and Configuration');
    expect(text).toContain('View Event Log Files');
    expect(text).not.toContain('Ways back in');
    expect(text).not.toContain(INVESTIGATION_TEXT.permSet);
  });

  it('refuses someone who may not use the bot, asking Salesforce nothing', async () => {
    const text = await click(h, INVESTIGATE_ACTIONS.session, JSON.stringify({ u: ids.userId, s: ids.moscowRootId }), PEOPLE.outsider.id);
    expect(text).toContain('Only Session Warden admins and approvers');
    expect(h.sf.apiCalls()).toEqual([]);
  });

  it('answers a tampered button value with a sentence, not a stack trace', async () => {
    const text = await click(h, INVESTIGATE_ACTIONS.session, '{"u":"x y"}');
    expect(text).toContain('out of date');
    expect(h.sf.apiCalls()).toEqual([]);
  });
});

describe('Ways back in, after a Contain', () => {
  let h: Harness;
  let org: Org;
  let ids: InvestigationScenario;
  beforeAll(async () => {
    org = new Org();
    withBot(org);
    ids = addInvestigationScenario(org, { now });
    h = await startHarness({ org });
  });
  afterAll(() => h.close());

  it('lists in the thread what could still let the attacker in, each with what to do, and the evidence pack carries the list', async () => {
    const posted = await requestAction(h, ACTIONS.contain, encodeValue({ u: ids.userId }));
    // Before approving, the approver can ask what the sessions did.
    const investigated = await click(h, INVESTIGATE_ACTIONS.request, posted.requestId, PEOPLE.approver.id);
    expect(investigated).toContain(INVESTIGATION_TEXT.permSet);
    expect(investigated).toContain(INVESTIGATION_TEXT.connectedApp);

    await clickRequest(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    const reply = await h.slack.waitFor(() => thread(h, posted).find((m) => replyText(m).includes('Ways back in for Bob Baker')), 15_000, 'the ways back in');
    const text = replyText(reply);
    expect(checkMessageBlocks((reply as { blocks?: unknown[] }).blocks ?? [])).toEqual([]);
    expect(text).toContain(INVESTIGATION_TEXT.permSet);
    expect(text).toContain(INVESTIGATION_TEXT.connectedApp);
    expect(text).toContain('Permission Set Assignments');
    // Authorised during the Moscow session; the Contain revoked it, and the thread still names it.
    expect(text).toContain('Connected app authorised during the session (now revoked)');
    expect(text).toContain('Exfil Sync');
    // Another person's change is never listed. The day-before change is: Contain ends the
    // 45-day-old family too, which was live when it was made.
    expect(text).not.toContain(INVESTIGATION_TEXT.others);
    expect(text).toContain(INVESTIGATION_TEXT.dayBefore);
    // The old iOS grant was revoked by the Contain and predates every session: not a way back in.
    expect(text).not.toContain('Salesforce for iOS');

    const request = await h.warden.requests.store.get(posted.requestId);
    if (!request) throw new Error('request gone');
    const pack = buildEvidencePack({
      request,
      audit: await h.warden.requests.audit.listForRequest(posted.requestId),
      chain: { ok: true, checked: 0 },
      generatedAt: new Date(),
    });
    expect(pack.json.waysBackIn?.items.map((i) => i.what)).toEqual(
      expect.arrayContaining([expect.stringContaining(INVESTIGATION_TEXT.permSet), INVESTIGATION_TEXT.connectedApp, 'Exfil Sync']),
    );
    expect(pack.markdown).toContain('## Ways back in');
    expect(pack.markdown).toContain(INVESTIGATION_TEXT.connectedApp);
    expect(pack.markdown).toContain('### What the sessions did: Setup changes in the window');
    expect(pack.markdown).not.toContain('Standard User to System Administrator');
    expect(pack.markdown).toMatch(/Login · Email · Succeeded · 198\.51\.100\.23/);
  }, 60_000);
});
