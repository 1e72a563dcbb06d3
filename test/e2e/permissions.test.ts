/**
 * Permissions stated, not assumed: the integration user's permissions are read at login, and
 * what a missing one hides is said everywhere it matters. Without Customize Application,
 * Salesforce answers OauthToken queries with the bot's own tokens only — no error — so every
 * surface that shows, revokes or verifies grants must say "cannot be read", never "none".
 * Real Bolt and jsforce against the stand-ins, whose integration user lacks the permission.
 */
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { setPermission } from '../standins/salesforce/permissions';
import { everything } from '../standins/salesforce/scenarios';
import { click, REASON, roots, thread, waitForState } from '../support/approval-flow';
import { COMMAND_CHANNEL, PEOPLE, replyText, startHarness, type Harness } from '../support/harness';

const now = new Date();
const HIDDEN = /Connected-app grants cannot be read: the bot's Salesforce user lacks Customize Application/;

describe('an integration user without Customize Application', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    setPermission(ids.org, ids.botUserId, 'PermissionsCustomizeApplication', false);
    h = await startHarness({ org: ids.org });
  });
  afterAll(() => h.close());

  it('is said at start and in /healthz, with what it hides', async () => {
    const res = await fetch(`http://127.0.0.1:${String(h.port)}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; salesforcePermissions: unknown };
    expect(body.ok).toBe(false);
    expect(body.salesforcePermissions).toEqual({
      ok: false,
      missing: [{ label: 'Customize Application', hides: expect.stringContaining("other users' connected-app grants") as unknown }],
    });
    expect(h.logs.some((l) => l.includes('Salesforce permissions: the integration user lacks Customize Application'))).toBe(true);
  });

  it('/sessions says the grants cannot be read and why', async () => {
    const { reply } = await h.command('integration@acme.com');
    expect(replyText(reply)).toMatch(HIDDEN);
  });

  it('the Revoke tokens form says so instead of "no grants", and offers nothing to submit', async () => {
    const viewsBefore = new Set(h.slack.views.keys());
    await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ACTIONS.revokeTokens, value: encodeValue({ u: ids.integration.userId }) }],
    });
    const view = await h.slack.waitFor(
      () => [...h.slack.views.values()].find((v) => !viewsBefore.has(v.id) && h.slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
      15_000,
      'the revoke modal',
    );
    const shown = h.slack
      .callsTo('views.update')
      .filter((c) => c.args.view_id === view.id)
      .at(-1)?.args.view as { blocks: unknown[]; submit?: unknown };
    const text = JSON.stringify(shown.blocks);
    expect(text).toMatch(HIDDEN);
    expect(text).not.toMatch(/has no connected-app grants/);
    expect(shown.submit).toBeUndefined();
  });

  it('Contain: the revoke step and the verifier say the grants cannot be read; the grants are still there', async () => {
    const userId = ids.integration.userId;
    const grantsBefore = [...h.sf.org.all('OauthToken')].filter((t) => t.UserId === userId).length;
    expect(grantsBefore).toBeGreaterThan(0);
    const before = roots(h).length;
    const viewsBefore = new Set(h.slack.views.keys());
    await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ACTIONS.contain, value: encodeValue({ u: userId }) }],
    });
    const view = await h.slack.waitFor(
      () => [...h.slack.views.values()].find((v) => !viewsBefore.has(v.id) && h.slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
      15_000,
      'the contain modal',
    );
    const shown = h.slack
      .callsTo('views.update')
      .filter((c) => c.args.view_id === view.id)
      .at(-1)?.args.view as { blocks: unknown[] };
    expect(JSON.stringify(shown.blocks)).toMatch(HIDDEN);
    await h.driver.viewSubmission({
      user_id: PEOPLE.admin.id,
      view: { id: view.id, callback_id: 'action_request', state: { values: { reason: { reason_input: { type: 'plain_text_input', value: REASON } } } } },
    });
    const msg = await h.slack.waitFor(() => roots(h)[before], 15_000, 'the request message');
    const posted = { ts: msg.ts, requestId: '' };
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    // A step that could not be done is a failed request, never "done".
    const finished = replyText(await waitForState(h, posted, /Failed: Contain account/));
    expect(finished).toMatch(
      /Revoke all OAuth tokens\*: revoke-all not done: Connected-app grants cannot be read: the bot's Salesforce user lacks Customize Application/,
    );
    expect(finished).toMatch(/Not fully in effect: the connected-app grants could not be read \(the bot needs Customize Application\)/);
    const steps = thread(h, posted)
      .map((m) => m.text)
      .join('\n');
    expect(steps).toMatch(/Revoke all OAuth tokens: failed\. revoke-all not done: Connected-app grants cannot be read/);
    for (const text of [finished, steps]) expect(text).not.toMatch(/no grant to revoke|revoked no grant/);
    expect([...h.sf.org.all('OauthToken')].filter((t) => t.UserId === userId)).toHaveLength(grantsBefore);
  });
});
