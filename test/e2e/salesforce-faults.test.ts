/**
 * Salesforce misbehaving under the real bot (real Bolt, real jsforce, HTTP mode against the
 * stand-ins): what the people in Slack see, and that every change reaches Salesforce exactly once.
 * Faults: a login refused at start (certificate not on the connected app), the token endpoint down,
 * 50 commands meeting an expired token, a DELETE answered after the bot's timeout, a password reset
 * whose answer is lost, and a 503 storm on the REST API.
 */
import type { BackoffPolicy } from '../../src/salesforce/backoff';
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { everything } from '../standins/salesforce/scenarios';
import { click, current, requestAction, thread, waitForState, type FlowContext, type Posted } from '../support/approval-flow';
import { COMMAND_CHANNEL, PEOPLE, healthOf, replyText, startHarness, type Harness } from '../support/harness';

const now = new Date();
/** Short and without jitter, so a test sees the bot's own retries within a second. */
const QUICK_LOGIN_RETRY: BackoffPolicy = { initialMs: 100, maxMs: 200, factor: 2, jitter: 0 };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Neither a JavaScript error class nor a stack frame may reach Slack. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/TypeError|ReferenceError|SyntaxError/);
  expect(text).not.toMatch(/\n\s+at |at .*\.(ts|js):\d+/);
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(25);
  }
}

function stepLine(ctx: FlowContext, posted: Posted, label: string): string {
  const line = thread(ctx, posted).find((m) => (m.text ?? '').startsWith(`${label}:`));
  if (!line) throw new Error(`no "${label}" step in the thread: ${JSON.stringify(thread(ctx, posted).map((m) => m.text))}`);
  return replyText(line);
}

describe('the login refused at start: invalid_grant (certificate not yet on the connected app)', () => {
  const REFUSAL = { status: 400, error: 'invalid_grant', description: 'invalid assertion' } as const;
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      org: everything({ now }).org,
      warden: { salesforceLoginBackoff: QUICK_LOGIN_RETRY },
      beforeStart: ({ sf }) => sf.faults.refuseLogins(REFUSAL),
    });
  });
  afterAll(() => h.close());

  it('answers /sessions with a sentence naming invalid_grant and the connected app, health says why, and it works again without a restart', async () => {
    const { reply } = await h.command('bob@acme.com');
    const text = replyText(reply);
    expect(reply.text).toContain(
      "Salesforce refused the bot's login (invalid_grant: invalid assertion): the connected app does not accept the certificate or the user — see README, Connect Salesforce.",
    );
    expectNoInternals(text);
    expect(text).not.toContain('Bob Baker');
    expect(h.sf.apiCalls()).toEqual([]);

    const during = await healthOf(h.port);
    // A refused login is not the bot's to fix by restarting: degraded, still HTTP 200.
    expect(during.status).toBe(200);
    expect(during.report).toMatchObject({ ok: false, database: 'ok', salesforce: { degraded: expect.stringContaining('invalid_grant') as unknown } });
    expect(JSON.stringify(during.report)).toContain('connected app');

    // The admin uploads the certificate: the refusal ends, and the bot comes back by itself.
    h.sf.faults.heal();
    await waitUntil(async () => (await healthOf(h.port)).report.ok, 2_000, 'Salesforce healthy again after the refusal ended');
    const again = await h.command('bob@acme.com');
    expect(replyText(again.reply)).toContain('Bob Baker');
    const tokens = h.sf.tokenRequests().map((r) => r.status);
    console.info(`invalid_grant at start: ${tokens.length} token requests (${tokens.filter((s) => s === 400).length} refused) before recovering`);
    expect(tokens.at(-1)).toBe(200);
    expect(tokens.filter((s) => s === 200)).toHaveLength(1);
  });
});

describe('the token endpoint answers 503 at start', () => {
  const OUTAGE_MS = 2_000;
  let h: Harness;
  let outageEndsAt = 0;
  beforeAll(async () => {
    h = await startHarness({
      org: everything({ now }).org,
      warden: { salesforceLoginBackoff: QUICK_LOGIN_RETRY },
      beforeStart: ({ sf }) => {
        outageEndsAt = Date.now() + OUTAGE_MS;
        sf.faults.refuseLogins({ status: 503 }, { forMs: OUTAGE_MS });
      },
    });
  });
  afterAll(() => h.close());

  it('says the login service is unavailable and that the bot retries, then logs in by itself with no command', async () => {
    const { reply } = await h.command('bob@acme.com');
    expect(Date.now()).toBeLessThan(outageEndsAt);
    expect(reply.text).toContain("Salesforce's login service is unavailable (HTTP 503); the bot retries by itself.");
    expectNoInternals(replyText(reply));
    expect(replyText(reply)).not.toContain('Maintenance');

    // No command from here on: only the bot's background retry can log in.
    await waitUntil(async () => (await healthOf(h.port)).report.ok, OUTAGE_MS + 2_000, 'the background login');
    const tokens = h.sf.tokenRequests();
    const success = tokens.find((r) => r.status === 200);
    expect(success?.started).toBeGreaterThanOrEqual(outageEndsAt);
    expect(tokens.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(2);
    // Spaced by the backoff, never a tight loop: at most one try per 100 ms of outage, plus the start's and the command's.
    expect(tokens.length).toBeLessThanOrEqual(OUTAGE_MS / QUICK_LOGIN_RETRY.initialMs + 2);

    const before = tokens.length;
    const again = await h.command('bob@acme.com');
    expect(replyText(again.reply)).toContain('Bob Baker');
    expect(h.sf.tokenRequests()).toHaveLength(before);
    console.info(`503 at start: ${before} token requests, logged in by itself ${success ? success.started - outageEndsAt : '?'} ms after the outage ended`);
  });
});

describe('faults after a healthy start', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sf.faults.reset();
    h.sf.resetRequests();
  });

  it('50 /sessions commands in flight when the token expires: 50 answers, one token request', async () => {
    h.sf.faults.expireTokensAfter(0);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 50 }, () => h.command('bob@acme.com')));
    const elapsed = Date.now() - started;
    const texts = answers.map((a) => replyText(a.reply));
    expect(texts.filter((t) => t.includes('Bob Baker') && t.includes('Moscow'))).toHaveLength(50);
    expect(h.sf.tokenRequests()).toHaveLength(1);
    const unauthorized = h.sf.apiCalls().filter((c) => c.status === 401).length;
    console.info(
      `50 concurrent /sessions over an expired token: ${unauthorized} answered 401, ${h.sf.tokenRequests().length} token request, 50/50 answered in ${elapsed} ms`,
    );
  }, 30_000);

  it('a Contain whose password-reset answer is lost: "probably done — check", one reset at Salesforce, not a failure', async () => {
    const userId = ids.compromised.userId;
    const posted = await requestAction(h, ACTIONS.contain, encodeValue({ u: userId }), {
      values: {
        contain_options: {
          contain_options_input: { type: 'checkboxes', selected_options: [{ value: 'reset_password', text: { type: 'plain_text', text: 'reset' } }] },
        },
      },
    });
    h.sf.resetRequests();
    h.sf.faults.dropAfterEffect({ match: /^DELETE .*\/password$/ });
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    const settled = await waitForState(h, posted, /Done — one step needs a check|Approved and done|Failed/);

    const reset = stepLine(h, posted, 'Reset password');
    expect(reset).toContain('Password reset probably done');
    expect(reset).toContain('Not repeated — check with the user whether the reset e-mail arrived.');
    expect(reset).not.toMatch(/\(failed\)|reset failed/i);
    // Not "failed", and not a plain "done" either: the headline says a step needs a human check.
    expect(replyText(settled)).toMatch(/Done — one step needs a check/);
    expect(replyText(settled)).not.toMatch(/Failed/);
    // The other steps of the plan ran and say so.
    expect(stepLine(h, posted, 'Freeze user')).toContain('(ok)');
    expect(stepLine(h, posted, 'Remove all sessions')).toContain('(ok)');
    expect((await h.warden.requests.store.get(posted.requestId))?.state).toBe('done');

    // Long past jsforce's first retry (500 ms): the reset went out once and was never repeated.
    await sleep(800);
    const resets = h.sf.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith('/password'));
    expect(resets).toHaveLength(1);
    expect(resets[0]?.fault).toBe('dropped-after-effect');
    expect(h.sf.passwordResets.filter((r) => r.userId === userId)).toHaveLength(1);
    expect(h.sf.org.get(ids.compromised.userLoginId)?.IsFrozen).toBe(true);
    console.info(`Contain with a lost reset answer: ${h.sf.apiCalls().length} API calls, ${resets.length} password reset; step line: ${reset.split('\n')[0]}`);
  });

  it('a 503 storm on the REST API: /sessions names Salesforce, and the request form ends in a sentence, not "Reading…"', async () => {
    h.sf.faults.storm({ status: 503, errorCode: 'SERVER_UNAVAILABLE', forMs: 10_000 });
    try {
      const { reply } = await h.command('bob@acme.com');
      expect(reply.text).toContain('Salesforce is unavailable right now (server error)');
      expect(replyText(reply)).toMatch(/Reference: ref-[0-9a-f]{8}/);
      expectNoInternals(replyText(reply));

      const viewsBefore = new Set(h.slack.views.keys());
      await h.driver.blockAction({
        user_id: PEOPLE.admin.id,
        channel_id: COMMAND_CHANNEL,
        ephemeral: true,
        actions: [{ action_id: ACTIONS.removeAll, value: encodeValue({ u: ids.compromised.userId }) }],
      });
      const modal = await h.slack.waitFor(
        () => [...h.slack.views.values()].find((v) => !viewsBefore.has(v.id) && h.slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
        10_000,
        'the request modal, updated after its Salesforce read',
      );
      const shown = JSON.stringify(modal.view);
      expect(shown).not.toContain('Reading');
      expect(shown).toContain('Salesforce is unavailable right now (server error)');
      expect(shown).toContain('Nothing was requested.');
      expectNoInternals(shown);
      // Every call during the storm was answered 503; none was a write.
      expect(h.sf.apiCalls().length).toBeGreaterThanOrEqual(2);
      expect(h.sf.apiCalls().filter((c) => c.status !== 503 || c.fault !== 'storm')).toEqual([]);
      expect(h.sf.apiCalls().filter((c) => c.method !== 'GET' && !c.path.endsWith('/composite'))).toEqual([]);
    } finally {
      h.sf.faults.heal();
    }
    const after = await h.command('bob@acme.com');
    expect(replyText(after.reply)).toContain('Bob Baker');
  });
});

describe('a Remove session that Salesforce performs but answers after the bot stopped waiting', () => {
  const TIMEOUT_MS = 500;
  const LATE_MS = 1_200;
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org, warden: { salesforceTimeoutMs: TIMEOUT_MS } });
  });
  afterAll(() => h.close());

  it('the thread says ok (read back), not "Failed … (TIMEOUT)", the verification agrees, and the DELETE went out once', async () => {
    const rootId = ids.compromised.moscowRootId;
    const family = [...h.sf.org.all('AuthSession')].filter((s) => s.Id === rootId || s.ParentId === rootId).map((s) => String(s.Id));
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: rootId }));
    h.sf.resetRequests();
    h.sf.faults.slowAfterEffect({ match: /^DELETE .*\/composite\/sobjects/, delayMs: LATE_MS });
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    const settled = await waitForState(h, posted, /Approved and done|Failed/);

    const step = stepLine(h, posted, 'Remove sessions');
    expect(step).toContain('(ok)');
    expect(step).toContain(`ended ${family.length} sessions`);
    expect(step).toContain('Salesforce answered late (TIMEOUT); read back: done');
    expect(step).not.toMatch(/Failed|\(failed\)/);
    const final = replyText(settled);
    expect(final).toContain('Approved and done');
    expect(final).toContain('Verified in Salesforce: the action took effect.');
    expect(final).not.toMatch(/Failed|Not fully in effect/);
    expect(replyText(current(h, posted))).not.toContain(ACTIONS.approve);

    // After the late answer has come: one DELETE, and every session of the family is gone.
    await sleep(LATE_MS);
    const deletes = h.sf.apiCalls().filter((c) => c.method === 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.ended).toBeGreaterThanOrEqual((deletes[0]?.started ?? 0) + LATE_MS);
    for (const id of family) expect(h.sf.org.get(id)).toBeUndefined();
    const calls = h.sf.apiCalls().map((c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '')}`);
    console.info(`DELETE answered ${LATE_MS} ms late (timeout ${TIMEOUT_MS} ms): ${calls.length} API calls after approval: ${calls.join(', ')}`);
  });
});
