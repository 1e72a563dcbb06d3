/**
 * AccessControl over the real WebClient against the Slack stand-in: final answers about a person
 * stay final, a Slack failure while checking is "could not check" (never a guest refusal), and
 * positive answers are reused briefly while refusals and failures never are.
 */
import { WebClient } from '@slack/web-api';
import {
  AccessControl,
  approverDirectory,
  clickerFrom,
  LAST_KNOWN_MAX_AGE_MS,
  POSITIVE_TTL_MS,
  type AccessDecision,
  type AccessOptions,
} from '../../src/slack/access';
import { accessUncheckedMessage } from '../../src/slack/views/notices';
import { createLogger } from '../../src/logger';
import { quietLogger } from '../standins/slack/quiet-logger';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { allText, expectValidMessage } from '../support/assert-valid-blocks';
import { closedPort } from '../support/failures';

const BOT = 'xoxb-access-test';
const PEOPLE = {
  admin: 'U0ADMIN01',
  approver: 'U0APPROV1',
  groupAdmin: 'U0GROUP01',
  groupApprover: 'U0GROUP02',
  guest: 'U0GUEST01',
  singleChannelGuest: 'U0GUEST02',
  departed: 'U0GONE001',
  robot: 'U0ROBOT01',
  stranger: 'U0STRANG1',
  foreigner: 'U0OTHER01',
  outsider: 'U0NOBODY1',
  installer: 'U0INSTALL',
} as const;
const ADMIN_GROUP = 'S0ADMINS1';
const APPROVER_GROUP = 'S0APPROVE';

let slack: SlackStandIn;
let home: string;
let clock: number;
let logs: string[];

function webClient(apiUrl = slack.apiUrl): WebClient {
  return new WebClient(BOT, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
}

function access(options: Partial<AccessOptions> = {}, client = webClient()): AccessControl {
  logs = [];
  const sink = { write: (line: string) => void logs.push(line) };
  return new AccessControl(
    client,
    {
      admins: [
        PEOPLE.admin,
        PEOPLE.installer,
        PEOPLE.guest,
        PEOPLE.singleChannelGuest,
        PEOPLE.departed,
        PEOPLE.robot,
        PEOPLE.stranger,
        PEOPLE.foreigner,
        ADMIN_GROUP,
      ],
      approvers: [PEOPLE.approver, APPROVER_GROUP],
      teamId: () => home,
      now: () => clock,
      ...options,
    },
    createLogger('debug', sink),
  );
}

const usersInfoCalls = (): number => slack.callsTo('users.info').length;
const groupCalls = (): number => slack.callsTo('usergroups.users.list').length;

beforeAll(async () => {
  slack = await startSlack({ signingSecret: 's', botToken: BOT, appToken: 'xapp-access-test' });
  home = slack.workspace.ids.teamId;
  slack.addUser({ id: PEOPLE.admin, profile: { email: 'ada@acme.com' } });
  slack.addUser({ id: PEOPLE.approver, profile: { email: 'paul@acme.com' } });
  slack.addUser({ id: PEOPLE.groupAdmin, profile: { email: 'gina@acme.com' } });
  slack.addUser({ id: PEOPLE.groupApprover, profile: { email: 'gary@acme.com' } });
  slack.addUser({ id: PEOPLE.guest, is_restricted: true });
  slack.addUser({ id: PEOPLE.singleChannelGuest, is_restricted: true, is_ultra_restricted: true });
  slack.addUser({ id: PEOPLE.departed, deleted: true });
  slack.addUser({ id: PEOPLE.robot, is_bot: true });
  slack.addUser({ id: PEOPLE.stranger, is_stranger: true });
  slack.addUser({ id: PEOPLE.foreigner, team_id: 'T0ELSEWHR' });
  slack.addUser({ id: PEOPLE.outsider });
  // Whoever installed the app is "an authorized user of the calling app" (is_app_user), a person like any other.
  slack.addUser({ id: PEOPLE.installer, is_admin: true, is_app_user: true, profile: { email: 'ivy@acme.com' } });
});
beforeEach(() => {
  clock = 1_000_000;
  slack.faults.reset();
  slack.setPlanUpgradeRequired(false);
  slack.addUsergroup(ADMIN_GROUP, [PEOPLE.groupAdmin]);
  slack.addUsergroup(APPROVER_GROUP, [PEOPLE.groupApprover]);
});
afterAll(() => slack.close());

function expectUnchecked(decision: AccessDecision, transient: boolean, code: string): void {
  expect(decision).toMatchObject({ allowed: false, transient, ineligible: false, failure: { transient, code } });
  expect(decision.allowed === false && decision.reason).toBe(
    transient ? `could not check your access right now (Slack: ${code})` : `could not check your access (Slack: ${code})`,
  );
}

describe('final answers about the person', () => {
  it.each([
    [PEOPLE.guest, 'guest account'],
    [PEOPLE.singleChannelGuest, 'guest account'],
    [PEOPLE.departed, 'deactivated Slack account'],
    [PEOPLE.robot, 'bots cannot use this'],
    [PEOPLE.stranger, 'external (Slack Connect) user'],
    [PEOPLE.foreigner, 'user from another workspace'],
    ['U0NOSUCH1', 'unknown Slack user'],
  ])('refuses %s even when listed: %s', async (user, reason) => {
    const decision = await access().decide(user, home, 'admin', 'test');
    expect(decision).toMatchObject({ allowed: false, transient: false, ineligible: true, reason });
    expect(decision.allowed === false && decision.failure).toBeUndefined();
  });

  it('lets the admin who installed the app (is_app_user: true, not a bot) use it', async () => {
    const decision = await access().decide(PEOPLE.installer, home, 'admin', 'test');
    expect(decision).toMatchObject({ allowed: true, roles: ['admin'], person: { email: 'ivy@acme.com' } });
  });

  it('refuses a click sent from another workspace without asking Slack', async () => {
    const before = usersInfoCalls();
    const decision = await access().decide(PEOPLE.approver, 'T0ELSEWHR', 'approver', 'test');
    expect(decision).toMatchObject({ allowed: false, transient: false, ineligible: true, reason: 'request from another workspace' });
    expect(usersInfoCalls()).toBe(before);
  });

  it('grants by direct listing and by user group, and refuses the unlisted', async () => {
    const control = access();
    expect(await control.decide(PEOPLE.admin, home, 'admin', 'test')).toMatchObject({ allowed: true, roles: ['admin'], person: { email: 'ada@acme.com' } });
    expect(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test')).toMatchObject({ allowed: true, roles: ['admin'] });
    expect(await control.decide(PEOPLE.groupApprover, home, 'approver', 'test')).toMatchObject({ allowed: true, roles: ['approver'] });
    expect(await control.decide(PEOPLE.approver, home, 'admin', 'test')).toMatchObject({ allowed: true, roles: ['approver'] });
    expect(await control.decide(PEOPLE.admin, home, 'approver', 'test')).toMatchObject({
      allowed: false,
      transient: false,
      ineligible: false,
      reason: 'not an approver',
    });
    expect(await control.decide(PEOPLE.outsider, home, 'admin', 'test')).toMatchObject({
      allowed: false,
      transient: false,
      reason: 'not an admin or approver',
    });
  });
});

describe('Slack failing while checking who clicked', () => {
  it.each(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])(
    'an approver is told Slack did not answer, not refused as a guest, on {ok:false, error:%s}',
    async (error) => {
      slack.failNext('users.info', error);
      const decision = await access().decide(PEOPLE.approver, home, 'approver', 'approve R1');
      expectUnchecked(decision, true, error);
    },
  );

  it('on HTTP 500 (an HTML error page)', async () => {
    slack.faults.storm({ kind: 'http500', methods: ['users.info'], forMs: 60_000 });
    expectUnchecked(await access().decide(PEOPLE.approver, home, 'approver', 'approve R1'), true, 'http_500');
  });

  it('on HTTP 429, keeping Retry-After', async () => {
    slack.rateLimit('users.info', { retryAfter: 1 });
    const decision = await access().decide(PEOPLE.approver, home, 'approver', 'approve R1');
    expectUnchecked(decision, true, 'ratelimited');
    expect(decision.allowed === false && decision.failure?.retryAfterSec).toBe(1);
  });

  it('when Slack cannot be reached at all', async () => {
    const port = await closedPort();
    const decision = await access({}, webClient(`http://127.0.0.1:${port}/api/`)).decide(PEOPLE.approver, home, 'approver', 'approve R1');
    expect(decision).toMatchObject({ allowed: false, transient: true, ineligible: false });
    expect(decision.allowed === false && decision.reason).toMatch(/^could not check your access right now \(Slack: (ECONNREFUSED|network)\)$/);
  });

  it('says "could not check", not "guest", when the bot itself is misconfigured (final, not transient)', async () => {
    slack.failNext('users.info', 'missing_scope', { needed: 'users:read' });
    expectUnchecked(await access().decide(PEOPLE.approver, home, 'approver', 'approve R1'), false, 'missing_scope');
    slack.failNext('users.info', 'invalid_auth');
    expectUnchecked(await access().decide(PEOPLE.approver, home, 'approver', 'approve R1'), false, 'invalid_auth');
  });

  it('logs the failure as a failed check, without the token', async () => {
    slack.failNext('users.info', 'internal_error');
    await access().decide(PEOPLE.approver, home, 'approver', 'approve R1');
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'access could not be checked');
    expect(line).toMatchObject({ level: 40, transient: true, slackError: 'internal_error', allowed: false });
    expect(logs.join('\n')).not.toContain(BOT);
  });
});

describe('user groups Slack cannot list', () => {
  it('reports a transient group failure as "could not check", not "not an admin", and does not cache it', async () => {
    const control = access();
    slack.failNext('usergroups.users.list', 'internal_error');
    expectUnchecked(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test'), true, 'internal_error');
    // Slack is back: the very next click reads the group again and is granted.
    expect(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test')).toMatchObject({ allowed: true });
  });

  it('reports an approver group that cannot be read now, even for someone who is an admin', async () => {
    slack.rateLimit('usergroups.users.list', { retryAfter: 1 });
    expectUnchecked(await access().decide(PEOPLE.admin, home, 'approver', 'approve R1'), true, 'ratelimited');
  });

  it('still grants someone listed directly, whatever the groups do', async () => {
    slack.faults.storm({ kind: 'http500', methods: ['usergroups.users.list'], forMs: 60_000 });
    expect(await access().decide(PEOPLE.approver, home, 'approver', 'approve R1')).toMatchObject({ allowed: true });
    expect(await access().decide(PEOPLE.admin, home, 'admin', 'test')).toMatchObject({ allowed: true });
  });

  it('fails closed on a final group failure (plan_upgrade_required): an empty group, cached, refusing normally', async () => {
    slack.setPlanUpgradeRequired(true);
    const control = access();
    expect(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test')).toMatchObject({
      allowed: false,
      transient: false,
      reason: 'not an admin or approver',
    });
    const calls = groupCalls();
    expect(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test')).toMatchObject({ allowed: false, transient: false });
    expect(groupCalls()).toBe(calls);
  });
});

describe('briefly reused positive answers', () => {
  it('rides out a Slack hiccup during a burst of clicks by a known approver', async () => {
    const control = access();
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'approve R1')).toMatchObject({ allowed: true });
    slack.faults.storm({ kind: 'http500', forMs: 60_000 });
    clock += POSITIVE_TTL_MS.approver - 1;
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'approve R2')).toMatchObject({ allowed: true });
    expect(logs.some((l) => l.includes('"cached":true'))).toBe(true);
    // Past the TTL the answer is checked again; Slack is still down, so the profile it gave last decides.
    clock += 2;
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'approve R3')).toMatchObject({ allowed: true });
    expect(logs.some((l) => l.includes('deciding on the profile it gave last'))).toBe(true);
    // A profile older than LAST_KNOWN_MAX_AGE_MS is not trusted: "could not check", never a refusal.
    clock += LAST_KNOWN_MAX_AGE_MS;
    expectUnchecked(await control.decide(PEOPLE.approver, home, 'approver', 'approve R4'), true, 'http_500');
  });

  it('decides from profiles read ahead of time (warm) when Slack fails before anyone clicked', async () => {
    const control = access();
    expect(await control.warm()).toBeGreaterThan(0);
    slack.faults.storm({ kind: 'http500', forMs: 60_000 });
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'approve R5')).toMatchObject({ allowed: true });
    // Someone never seen is still "could not check".
    expectUnchecked(await control.decide('U0NEVERSEEN', home, 'approver', 'approve R6'), true, 'http_500');
  });

  it('keeps admin answers longer than approver answers, per role', async () => {
    expect(POSITIVE_TTL_MS.approver).toBeLessThan(POSITIVE_TTL_MS.admin);
    const control = access();
    await control.decide(PEOPLE.approver, home, 'admin', 'test');
    await control.decide(PEOPLE.approver, home, 'approver', 'test');
    const calls = usersInfoCalls();
    clock += POSITIVE_TTL_MS.approver + 1;
    expect(await control.decide(PEOPLE.approver, home, 'admin', 'test')).toMatchObject({ allowed: true });
    expect(usersInfoCalls()).toBe(calls);
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'test')).toMatchObject({ allowed: true });
    expect(usersInfoCalls()).toBe(calls + 1);
  });

  it('never caches a refusal or a failed check', async () => {
    const control = access();
    slack.failNext('users.info', 'internal_error');
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'test')).toMatchObject({ allowed: false, transient: true });
    expect(await control.decide(PEOPLE.approver, home, 'approver', 'test')).toMatchObject({ allowed: true });

    const calls = usersInfoCalls();
    await control.decide(PEOPLE.outsider, home, 'admin', 'test');
    await control.decide(PEOPLE.outsider, home, 'admin', 'test');
    expect(usersInfoCalls()).toBe(calls + 2);
  });

  it("drops a person's cached answers when a fresh check refuses them", async () => {
    const user = slack.addUser({ id: 'U0TURNCOA', profile: { email: 'tc@acme.com' } });
    const control = access({ admins: [PEOPLE.admin], approvers: [user.id] });
    expect(await control.decide(user.id, home, 'admin', 'test')).toMatchObject({ allowed: true });
    // Made a guest in Slack; the approver check (not cached yet) sees it …
    user.is_restricted = true;
    expect(await control.decide(user.id, home, 'approver', 'test')).toMatchObject({ allowed: false, reason: 'guest account' });
    // … and the cached admin "yes" goes with it.
    expect(await control.decide(user.id, home, 'admin', 'test')).toMatchObject({ allowed: false, reason: 'guest account' });
  });

  it('keeps a cached admin "yes" when the same person is refused as approver', async () => {
    const control = access();
    expect(await control.decide(PEOPLE.admin, home, 'admin', 'test')).toMatchObject({ allowed: true });
    expect(await control.decide(PEOPLE.admin, home, 'approver', 'approve R1')).toMatchObject({ allowed: false, reason: 'not an approver' });
    const calls = usersInfoCalls();
    expect(await control.decide(PEOPLE.admin, home, 'admin', 'test')).toMatchObject({ allowed: true });
    expect(usersInfoCalls()).toBe(calls);
  });

  it('drops cached answers of people a re-read user group no longer lists', async () => {
    const control = access({ cacheTtlMs: 1_000 });
    expect(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test')).toMatchObject({ allowed: true });
    slack.addUsergroup(ADMIN_GROUP, []);
    clock += 2_000;
    // Anyone's check re-reads the group; it no longer lists gina.
    await control.decide(PEOPLE.outsider, home, 'admin', 'test');
    expect(await control.decide(PEOPLE.groupAdmin, home, 'admin', 'test')).toMatchObject({ allowed: false, reason: 'not an admin or approver' });
  });

  it('never reuses an answer for a click from another workspace', async () => {
    const control = access();
    await control.decide(PEOPLE.approver, home, 'approver', 'test');
    expect(await control.decide(PEOPLE.approver, 'T0ELSEWHR', 'approver', 'test')).toMatchObject({ allowed: false, reason: 'request from another workspace' });
  });
});

describe('Enterprise Grid', () => {
  // A workspace of the org E0ACMEORG. On Grid a member's team_id may name another workspace of the org they also belong
  // to; enterprise_user.teams lists every one (Slack's user object), and the org must be this one.
  const ORG = 'E0ACMEORG';
  const OTHER_WORKSPACE = 'T0SALESWS';
  let grid: SlackStandIn;
  const gridUser = (id: string, teamId: string, org: string, teams: string[]) =>
    grid.addUser({
      id,
      team_id: teamId,
      enterprise_user: { id, enterprise_id: org, enterprise_name: 'Acme', is_admin: false, is_owner: false, teams },
    });

  beforeAll(async () => {
    grid = await startSlack({ signingSecret: 's', botToken: BOT, enterpriseId: ORG });
  });
  afterAll(() => grid.close());

  function gridAccess(admins: string[]): AccessControl {
    const client = new WebClient(BOT, { slackApiUrl: grid.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    return new AccessControl(
      client,
      { admins, approvers: [], teamId: () => grid.workspace.ids.teamId, enterpriseId: () => ORG, now: () => clock },
      createLogger('silent'),
    );
  }

  it('answers the org id from auth.test, as Slack does for a workspace of a Grid org', async () => {
    const client = new WebClient(BOT, { slackApiUrl: grid.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    expect(await client.auth.test()).toMatchObject({ team_id: grid.workspace.ids.teamId, enterprise_id: ORG });
  });

  it('grants a listed member whose team_id names another workspace of the org they also belong to', async () => {
    gridUser('W0GRIDADA', OTHER_WORKSPACE, ORG, [OTHER_WORKSPACE, grid.workspace.ids.teamId]);
    const decision = await gridAccess(['W0GRIDADA']).decide('W0GRIDADA', OTHER_WORKSPACE, 'admin', 'test');
    expect(decision).toMatchObject({ allowed: true, roles: ['admin'] });
  });

  it('refuses a member of the org who is not in this workspace, and a member of another org', async () => {
    gridUser('W0GRIDBEN', OTHER_WORKSPACE, ORG, [OTHER_WORKSPACE]);
    gridUser('W0GRIDCAT', OTHER_WORKSPACE, 'E0ELSEORG', [OTHER_WORKSPACE, grid.workspace.ids.teamId]);
    const control = gridAccess(['W0GRIDBEN', 'W0GRIDCAT']);
    for (const id of ['W0GRIDBEN', 'W0GRIDCAT']) {
      expect(await control.decide(id, OTHER_WORKSPACE, 'admin', 'test')).toMatchObject({
        allowed: false,
        ineligible: true,
        reason: 'user from another workspace',
      });
    }
  });
});

describe('accessUncheckedMessage', () => {
  it('asks to retry on a transient failure, and never says guest or approver', () => {
    const message = accessUncheckedMessage({ transient: true, sentence: 'Slack had a problem on its side (internal_error); try again in a minute.' });
    expectValidMessage(message);
    expect(message.text).toBe('I could not check your access right now (Slack did not answer); try again in a minute. Nothing was done.');
    expect(allText(message.blocks)).not.toMatch(/guest|not an approver|Only Session Warden admins/i);
  });

  it('names a longer Retry-After', () => {
    expect(accessUncheckedMessage({ transient: true, sentence: 'x', retryAfterSec: 600 }).text).toContain('try again in about 10 minutes');
  });

  it('names what the operator must fix when retrying cannot help', () => {
    const message = accessUncheckedMessage({ transient: false, sentence: "Slack refused the bot's token (invalid_auth); check SLACK_BOT_TOKEN." });
    expectValidMessage(message);
    expect(message.text).toBe("I could not check your access, so nothing was done. Slack refused the bot's token (invalid_auth); check SLACK_BOT_TOKEN.");
  });
});

describe("the approval rules' view of a clicker", () => {
  it('is an approver, a non-approver, a guest, or "unavailable" when Slack could not say', async () => {
    const directory = approverDirectory(access());
    expect(await directory.clicker(PEOPLE.approver)).toEqual({ id: PEOPLE.approver, email: 'paul@acme.com', isApprover: true, isGuest: false });
    expect(await directory.clicker(PEOPLE.admin)).toEqual({ id: PEOPLE.admin, email: 'ada@acme.com', isApprover: false, isGuest: false });
    expect(await directory.clicker(PEOPLE.guest)).toMatchObject({ id: PEOPLE.guest, isApprover: false, isGuest: true });
    slack.failNext('users.info', 'internal_error');
    expect(await directory.clicker(PEOPLE.groupApprover)).toEqual({
      unavailable: { transient: true, sentence: expect.stringContaining('internal_error') as unknown },
    });
    slack.failNext('users.info', 'invalid_auth');
    expect(await directory.clicker(PEOPLE.groupApprover)).toEqual({
      unavailable: { transient: false, sentence: expect.stringContaining('invalid_auth') as unknown },
    });
  });

  it('maps a decision without asking Slack again', () => {
    const refused: AccessDecision = { allowed: false, transient: false, reason: 'deactivated Slack account', person: null, ineligible: true };
    expect(clickerFrom('U1', refused)).toEqual({ id: 'U1', email: null, isApprover: false, isGuest: true });
  });
});
