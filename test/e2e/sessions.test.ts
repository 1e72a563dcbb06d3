/**
 * `/sessions` end to end: the real Bolt app and real jsforce, talking HTTP to the Slack and
 * Salesforce stand-ins on loopback. Nothing here mocks Bolt, jsforce or fetch.
 */
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { checkMessageBlocks } from '../standins/slack/blockkit';
import { addUserWithSessions } from '../standins/salesforce/generator';
import { BIG_USERNAME, BOT_USERNAME, everything } from '../standins/salesforce/scenarios';
import { COMMAND_CHANNEL, PEOPLE, BOT_TOKEN, replyText, startHarness, type Harness } from '../support/harness';
import { testKeyPair } from '../standins/salesforce/keys';

const now = new Date();

describe('/sessions over HTTP', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org, warden: { queryBatchSize: 200 } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sf.resetRequests());

  it('acks at once with an empty body and answers the requester ephemerally', async () => {
    const { ack, reply } = await h.command('alice@acme.com');
    expect(ack).toBeNull();
    expect(reply.response_type).toBe('ephemeral');
    expect(replyText(reply)).toContain('Alice Admin');
    expect(replyText(reply)).toMatch(/3 sessions/);
    expect(checkMessageBlocks(reply.blocks)).toEqual([]);
  });

  it('reads a user in one Salesforce round trip (users, freeze state, sessions, logins, grants in one Composite call)', async () => {
    await h.command('alice@acme.com');
    const calls = h.sf.apiCalls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
  });

  it('explains why the compromised user looks wrong', async () => {
    const { reply } = await h.command('bob@acme.com');
    const text = replyText(reply);
    expect(text).toContain('Moscow');
    expect(text).toMatch(/km from San Francisco/);
    expect(text).toMatch(/failed logins/);
  });

  it('resolves a mention through the Slack profile e-mail', async () => {
    const { reply } = await h.command(`<@${PEOPLE.bob.id}|bob>`);
    expect(replyText(reply)).toContain('Bob Baker');
    expect(h.slack.callsTo('users.info').some((c) => c.args.user === PEOPLE.bob.id)).toBe(true);
  });

  it('refuses a non-admin and a listed guest politely, showing nothing and asking Salesforce nothing', async () => {
    for (const who of [PEOPLE.outsider.id, PEOPLE.guest.id]) {
      const { reply } = await h.command('bob@acme.com', who);
      expect(replyText(reply)).toContain('Only Session Warden admins and approvers');
      expect(replyText(reply)).not.toContain('Bob');
    }
    expect(h.sf.apiCalls()).toEqual([]);
    expect(h.logs.some((l) => l.includes('"access refused"') && l.includes(PEOPLE.guest.id) && l.includes('guest account'))).toBe(true);
  });

  it('refuses listed accounts that are deactivated or bots, and requests from another workspace', async () => {
    for (const who of [PEOPLE.departed.id, PEOPLE.robot.id]) {
      expect(replyText((await h.command('bob@acme.com', who)).reply)).toContain('Only Session Warden admins and approvers');
    }
    const res = await h.driver.command({ user_id: PEOPLE.admin.id, text: 'bob@acme.com', channel_id: COMMAND_CHANNEL, team_id: 'T0OTHERWS' });
    const posted = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl));
    expect(replyText(posted.body as object)).toContain('Only Session Warden admins and approvers');
    expect(h.sf.apiCalls()).toEqual([]);
    expect(h.logs.some((l) => l.includes('request from another workspace'))).toBe(true);
  });

  it('lets a member of a listed user group in', async () => {
    const { reply } = await h.command('alice@acme.com', PEOPLE.groupMember.id);
    expect(replyText(reply)).toContain('Alice Admin');
  });

  it('says clearly when nobody matches', async () => {
    const { reply } = await h.command('nobody@acme.com');
    expect(replyText(reply)).toMatch(/nobody@acme\.com/);
    expect(replyText(reply)).toMatch(/[Nn]o Salesforce user/);
  });

  it('never lets command text change a query', async () => {
    const { reply } = await h.command("x' OR Name != 'y");
    expect(replyText(reply)).toContain('give one user');
    expect(h.sf.apiCalls()).toEqual([]);
    // Valid RFC 5322 atext (' and = are allowed): looked up as one escaped SOQL value, matching nobody.
    const { reply: r2 } = await h.command("x'OR'1'='1@acme.com");
    expect(replyText(r2)).toMatch(/No Salesforce user matches/);
  });

  it('pages a 450-session user at batch size 200 and counts every session', async () => {
    const { reply } = await h.command(BIG_USERNAME);
    expect(replyText(reply)).toMatch(/450 sessions/);
    const calls = h.sf.apiCalls().map((c) => `${c.method} ${c.path.replace(/01g\w+-\d+/, 'LOCATOR')}`);
    expect(calls).toEqual(['POST /services/data/v62.0/composite', 'GET /services/data/v62.0/query/LOCATOR', 'GET /services/data/v62.0/query/LOCATOR']);
    expect(checkMessageBlocks(reply.blocks)).toEqual([]);
  });

  it('shows the next page of a long list in place, with totals unchanged', async () => {
    const res = await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ACTIONS.page, value: encodeValue({ u: ids.big.userId, p: 2 }) }],
    });
    const page = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl));
    const body = page.body as { replace_original?: boolean; blocks: unknown[] };
    expect(body.replace_original).toBe(true);
    expect(checkMessageBlocks(body.blocks)).toEqual([]);
    expect(replyText(body)).toMatch(/450 sessions/);
    expect(replyText(body)).toMatch(/page 2 of|families \d+–\d+ of/i);
  });

  it('lists users sharing an e-mail and lets the admin pick one', async () => {
    const { reply } = await h.command('shared@acme.com');
    const text = replyText(reply);
    expect(text).toContain('carol@acme.com');
    expect(text).toContain('carol.sandbox@acme.com');
    const res = await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ACTIONS.pickUser, value: encodeValue({ u: ids.duplicate.carolId }) }],
    });
    const picked = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl));
    expect(replyText(picked.body as object)).toContain('carol@acme.com');
  });

  it('shows inactive and frozen users as such', async () => {
    expect(replyText((await h.command('dave@acme.com')).reply)).toMatch(/inactive/i);
    expect(replyText((await h.command('erin@acme.com')).reply)).toMatch(/frozen/i);
  });

  it("marks the bot's own session and never offers it for removal", async () => {
    const { reply } = await h.command(BOT_USERNAME);
    const text = replyText(reply);
    expect(text).toMatch(/this bot's own session/);
    expect(text).not.toContain(ACTIONS.removeSession);
    expect(text).not.toContain(ACTIONS.removeAll);
  });

  it('shows the Login History excerpt by command and by button', async () => {
    const { reply } = await h.command('history bob@acme.com');
    const text = replyText(reply);
    expect(text).toMatch(/Invalid Password/);
    expect(text).toMatch(/failure/);
    // User lookup and logins in one Composite call.
    expect(h.sf.apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
    const res = await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ACTIONS.history, value: encodeValue({ u: ids.compromised.userId, d: 30 }) }],
    });
    const viaButton = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl));
    expect(replyText(viaButton.body as object)).toMatch(/Invalid Password/);
  });

  it('survives a token expiry in the middle of a command (re-authenticates and retries)', async () => {
    h.sf.faults.expireTokensAfter(0);
    const { reply } = await h.command('alice@acme.com');
    expect(replyText(reply)).toContain('Alice Admin');
    const paths = h.sf.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(paths).toEqual(['POST /services/data/v62.0/composite 401', 'POST /services/oauth2/token 200', 'POST /services/data/v62.0/composite 200']);
  });

  it('turns a Salesforce permission error into a sentence an admin can act on, with a reference and no stack trace', async () => {
    h.sf.faults.denyObject('AuthSession', 'INVALID_TYPE');
    try {
      const { reply } = await h.command('alice@acme.com');
      const text = replyText(reply);
      expect(text).toContain('Manage Users');
      expect(text).toMatch(/ref-[0-9a-f]{8}/);
      expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    } finally {
      h.sf.faults.reset();
    }
  });

  it('says so when Salesforce is down', async () => {
    h.sf.faults.failNext({ count: 5, status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'Service Unavailable' });
    try {
      const { reply } = await h.command('alice@acme.com');
      expect(replyText(reply)).toMatch(/unavailable|did not answer/i);
    } finally {
      h.sf.faults.reset();
    }
  });

  it('stops after a few re-logins when Salesforce keeps answering 401 (circuit breaker), and says so', async () => {
    h.sf.faults.alwaysUnauthorized(true);
    try {
      const { reply } = await h.command('alice@acme.com');
      expect(replyText(reply)).toMatch(/re-authentication|login/i);
      const tokenCalls = h.sf.requests.filter((r) => r.path === '/services/oauth2/token').length;
      expect(tokenCalls).toBeGreaterThan(0);
      expect(tokenCalls).toBeLessThanOrEqual(3);
    } finally {
      h.sf.faults.reset();
    }
  });

  it('answers GET /healthz', async () => {
    // After the breaker test above, one successful command shows Salesforce is back.
    await h.command('bob@acme.com');
    const res = await fetch(`http://127.0.0.1:${h.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      database: 'ok',
      salesforce: 'ok',
      salesforcePermissions: { ok: true, missing: [] },
      monitor: { role: 'off', lastPollAt: null, callsToday: 0, budget: 'normal' },
    });
  });

  it('explains usage on /sessions help (alone, the command shows the org: test/e2e/org-view.test.ts)', async () => {
    const { reply } = await h.command('help');
    expect(replyText(reply)).toContain('/sessions history');
  });

  it('rejects forged and stale requests before any work', async () => {
    for (const forge of ['bad-signature', 'stale-timestamp'] as const) {
      const res = await h.driver.command({ user_id: PEOPLE.admin.id, text: 'alice@acme.com' }, { forge });
      expect(res.status).toBe(401);
    }
    expect(h.sf.apiCalls()).toEqual([]);
  });

  it('keeps secrets out of the log', () => {
    const all = h.logs.join('\n');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain('PRIVATE KEY');
    expect(all).not.toContain(testKeyPair().privateKeyPem.split('\n')[1]);
    // Access tokens look like <orgId15>!<random>; none may appear in a log line.
    expect(all).not.toMatch(/00D[0-9A-Za-z]{12}![\w-]{20,}/);
  });
});

describe('/sessions with 5,000 sessions', () => {
  let h: Harness;
  beforeAll(async () => {
    const { org } = everything({ now });
    addUserWithSessions(org, { username: 'huge@acme.com', count: 5000, seed: 5000, now });
    h = await startHarness({ org });
  });
  afterAll(() => h.close());

  it('answers within Block Kit limits with correct totals and a show-more page', async () => {
    const { reply } = await h.command('huge@acme.com');
    expect(checkMessageBlocks(reply.blocks)).toEqual([]);
    expect(replyText(reply)).toMatch(/5,000 sessions/);
    expect(replyText(reply)).toContain(ACTIONS.page);
  });
});

describe('/sessions when Salesforce is slow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: everything({ now }).org, warden: { salesforceTimeoutMs: 400 } });
  });
  afterAll(() => h.close());

  it('says the time-out plainly instead of hanging', async () => {
    h.sf.faults.latency(1500);
    try {
      const { reply } = await h.command('alice@acme.com');
      expect(replyText(reply)).toMatch(/did not answer in time/);
      expect(replyText(reply)).toMatch(/ref-[0-9a-f]{8}/);
    } finally {
      h.sf.faults.reset();
    }
  });
});

describe('/sessions over Socket Mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: everything({ now }).org, mode: 'socket' });
  });
  afterAll(() => h.close());

  it('answers the same command through a Socket Mode envelope', async () => {
    const { ack, reply } = await h.command('alice@acme.com');
    expect(ack).toBeNull();
    expect(replyText(reply)).toMatch(/3 sessions/);
    expect(h.slack.socket.envelopes.length).toBeGreaterThan(0);
  });

  it('reconnects after Slack asks it to refresh the connection', async () => {
    const before = h.slack.socket.connectionsOpened;
    await h.slack.socket.disconnect('refresh_requested');
    await h.slack.waitFor(() => h.slack.socket.connectionsOpened > before && h.slack.socket.connectionCount > 0, 10_000);
    const { reply } = await h.command('alice@acme.com');
    expect(replyText(reply)).toContain('Alice Admin');
  });
});
