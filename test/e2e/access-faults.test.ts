/**
 * Someone clicks Approve while Slack cannot say who they are (users.info fails: platform error,
 * HTTP 500, rate limiting). Someone Slack never described to the bot is told Slack did not
 * answer — never refused as a guest — and nothing changes (a lasting fault, such as a lost scope, is
 * named instead of "try again"); a listed approver, whose profile the
 * bot read at start, is decided on it and the action runs. Real Bolt, the bot's own WebClient and
 * jsforce against the stand-ins.
 */
import { AccessControl } from '../../src/slack/access';
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { quietUser } from '../standins/salesforce/scenarios';
import { click, current, ephemeralTo, requestAction, waitForState, type Posted } from '../support/approval-flow';
import { PEOPLE, replyText, startHarness, type Harness } from '../support/harness';

type Fault = [name: string, inject: (h: Harness) => void, code: string];

const FAULTS: Fault[] = [
  ['{ok:false, error:internal_error}', (h) => h.slack.failNext('users.info', 'internal_error'), 'internal_error'],
  ['HTTP 429 with Retry-After', (h) => h.slack.rateLimit('users.info', { retryAfter: 1 }), 'ratelimited'],
  ['HTTP 500 from Slack', (h) => h.slack.faults.storm({ kind: 'http500', methods: ['users.info'], forMs: 60_000 }), 'http_500'],
];

describe('an approver clicks while users.info fails', () => {
  let h: Harness;
  let ids: ReturnType<typeof quietUser>;
  let posted: Posted;
  let teamId: string;

  beforeAll(async () => {
    ids = quietUser({ now: new Date() });
    h = await startHarness({ org: ids.org });
    teamId = h.slack.workspace.ids.teamId;
    posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.userId }));
  });
  afterAll(() => h.close());
  afterEach(() => h.slack.faults.reset());

  /** An AccessControl configured as the bot's, over the bot's own WebClient. */
  const accessLikeTheBot = (): AccessControl =>
    new AccessControl(
      h.warden.app.client,
      { admins: [PEOPLE.admin.id], approvers: [PEOPLE.approver.id, PEOPLE.approver2.id], teamId: () => teamId },
      h.warden.logger,
    );

  it.each(FAULTS)('%s: the decision is "could not check right now", not a guest refusal', async (_name, inject, code) => {
    inject(h);
    const decision = await accessLikeTheBot().decide(PEOPLE.approver.id, teamId, 'approver', `approve ${posted.requestId}`);
    expect(decision).toMatchObject({ allowed: false, transient: true, ineligible: false, reason: `could not check your access right now (Slack: ${code})` });
    expect(decision.allowed === false && decision.reason).not.toMatch(/guest/);
  });

  it.each(FAULTS)('%s: a click by someone Slack never described changes nothing and is answered "try again", not as a guest', async (_name, inject) => {
    h.sf.resetRequests();
    inject(h);
    const res = await click(h, PEOPLE.outsider.id, posted, ACTIONS.approve);
    const answer = await ephemeralTo(h, res);
    expect(answer).toMatch(/could not check your access right now/);
    expect(answer).not.toMatch(/guest/i);
    expect(replyText(current(h, posted))).toMatch(/Approval needed/);
    expect(h.sf.org.get(ids.userLoginId)?.IsFrozen).toBe(false);
    expect(h.sf.apiCalls().filter((c) => c.method !== 'GET' && !c.path.endsWith('/composite'))).toEqual([]);
    const stored = await h.warden.requests.store.get(posted.requestId);
    expect(stored?.state).toBe('pending');
  });

  it('a lasting Slack fault (the bot lost a scope) is named to the clicker instead of "try again", and nothing changes', async () => {
    h.sf.resetRequests();
    h.slack.failNext('users.info', 'missing_scope', { needed: 'users:read', provided: 'chat:write' });
    const res = await click(h, PEOPLE.outsider.id, posted, ACTIONS.approve);
    const answer = await ephemeralTo(h, res);
    expect(answer).toContain(
      'I could not check your access, so nothing was done. Slack says the bot lacks a permission (missing_scope: users:read); reinstall the app with the scopes in manifest.yml.',
    );
    expect(answer).not.toMatch(/try again|guest/i);
    expect(replyText(current(h, posted))).toMatch(/Approval needed/);
    expect(h.sf.apiCalls().filter((c) => c.method !== 'GET' && !c.path.endsWith('/composite'))).toEqual([]);
    expect((await h.warden.requests.store.get(posted.requestId))?.state).toBe('pending');
  });

  it('a listed approver clicking while users.info fails is decided on the profile read at start, and the action runs', async () => {
    h.slack.faults.storm({ kind: 'http500', methods: ['users.info'], forMs: 60_000 });
    const res = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    expect(await ephemeralTo(h, res)).toMatch(/Approved and done: freeze user/);
    await waitForState(h, posted, /Approved and done/);
    expect(h.sf.org.get(ids.userLoginId)?.IsFrozen).toBe(true);
  });
});
