/**
 * The renderer against what the bot really sends: messages, modals and the App Home built by the
 * bot's own Block Kit builders with the view tests' fixtures. The renderer imports no bot code; only
 * this test does.
 */
import { alertMessage } from '../../../src/slack/views/alert';
import { loginHistoryMessage } from '../../../src/slack/views/history';
import { homeView } from '../../../src/slack/views/home';
import { requestConfirmation, requestMessage } from '../../../src/slack/views/request-message';
import { requestModal } from '../../../src/slack/views/request-modal';
import { sessionsMessage } from '../../../src/slack/views/sessions';
import { suppressModal } from '../../../src/slack/views/suppress-modal';
import { initialValues } from '../../../demo/console/web/blockkit';
import {
  HOUR,
  MOSCOW,
  NOW,
  makeAssessment,
  makeFamily,
  makeFinding,
  makeHomeSnapshot,
  makeLogin,
  makeRequest,
  makeSession,
  makeSessionsInput,
  makeSummary,
  makeUser,
} from '../../support/view-factories';
import { FIXED_NOW, recorder, renderBlocks, visibleText } from './blockkit-render';

/** Every button's text in the bot's blocks, wherever it sits (actions, accessories). */
function botButtonTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(botButtonTexts);
  if (node === null || typeof node !== 'object') return [];
  const obj = node as Record<string, unknown>;
  const label = (obj.text as { text?: unknown } | undefined)?.text;
  const own = obj.type === 'button' && typeof label === 'string' ? [label] : [];
  return [...own, ...Object.values(obj).flatMap(botButtonTexts)];
}

/** Renders the bot's blocks and checks what any reader of the demo must be able to rely on. */
function renderBot(blocks: unknown, ctx = recorder().ctx): { html: string; text: string } {
  const html = renderBlocks(blocks, ctx);
  const text = visibleText(html);
  expect(text).not.toContain('[unsupported');
  // Slack tokens and the bot's shortcodes are all rendered, never shown raw.
  expect(text).not.toMatch(/<[@#!]/);
  expect(text).not.toMatch(
    /:(warning|white_check_mark|red_circle|large_orange_circle|large_yellow_circle|x|no_entry|hourglass_flowing_sand|information_source):/,
  );
  const rendered = [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => visibleText(m[1] ?? ''));
  for (const label of botButtonTexts(blocks)) expect(rendered).toContain(visibleText(label));
  return { html, text };
}

// FIXED_NOW is the fixtures' NOW, so the bot's <!date> tokens read "Today …" in London.
test('the fixtures and the renderer share one clock', () => {
  expect(FIXED_NOW).toEqual(NOW);
});

describe('bot messages', () => {
  it('a /sessions answer: families, their flags and the remove buttons', () => {
    const moscow = makeFamily(1, {
      risk: 90,
      findings: [makeFinding({ severity: 'high', message: 'Login from Moscow, RU 9,400 km from San Francisco within 2 h' })],
    });
    moscow.family.root.place = MOSCOW;
    moscow.family.root.sourceIp = '198.51.100.9';
    const msg = sessionsMessage(makeSessionsInput({ assessment: makeAssessment([moscow, makeFamily(2, { risk: 10 }, ['Aura', 'Visualforce'])]) }));
    const { html, text } = renderBot(msg.blocks);
    expect(text).toContain('\u26A0\uFE0F Login from Moscow, RU 9,400 km from San Francisco within 2 h');
    expect(text).toContain('IP 198.51.100.9 · Moscow, RU');
    expect(html).toContain('<b>UI</b>');
    expect(html).toMatch(/data-block-id="fam_0Ak0+1"/);
  });

  it('a login history answer', () => {
    const msg = loginHistoryMessage({
      user: makeUser(),
      events: [makeLogin(1), makeLogin(2, { status: 'Invalid Password', success: false })],
      summary: makeSummary({ total: 2, failures: 1, countries: ['US'], distinctIps: 1 }),
      days: 30,
      limit: 20,
      now: NOW,
    });
    const { text } = renderBot(msg.blocks);
    expect(text).toContain('Invalid Password');
    expect(text).toContain('Today');
  });

  it('an approval request, pending: Approve and Deny with the reason and the requester named', () => {
    const msg = requestMessage(makeRequest(), { now: NOW });
    const { html, text } = renderBot(msg.blocks);
    expect(text).toContain('Login from Moscow ten minutes after San Francisco');
    expect(html).toMatch(/<button[^>]*bk-button-primary[^>]*>.*Approve.*<\/button>/);
    expect(html).toMatch(/<button[^>]*bk-button-danger[^>]*>.*Deny.*<\/button>/);
  });

  it('an approval request, done with mixed step results, and the requester confirmation', () => {
    const done = makeRequest({
      state: 'done',
      approvals: [{ userId: 'UAPPROVER1', at: new Date(NOW.getTime() + 60_000) }],
      decidedBy: 'UAPPROVER1',
      result: {
        steps: [{ step: 'remove-sessions', status: 'ok', summary: '3 sessions ended.', detail: {}, apiCalls: 1 }],
        verification: { ok: true, summary: 'In effect: no session left.', alerts: [], detail: null },
      },
    });
    const { html, text } = renderBot(requestMessage(done, { now: NOW }).blocks);
    expect(text).toContain('3 sessions ended.');
    expect(text).toContain('@grace');
    expect(html).not.toMatch(/>Approve</);
    renderBot(requestConfirmation(makeRequest(), 'https://acme.slack.test/archives/C0SEC/p1').blocks);
  });

  it('an alert: severity, evidence, runbook and its four buttons, the destructive one behind a confirm', () => {
    const session = makeSession(2, { sourceIp: '198.51.100.9', place: MOSCOW, createdAt: new Date(NOW.getTime() - HOUR) });
    const msg = alertMessage({
      finding: makeFinding({ rule: 'distant-places', severity: 'high', message: 'another session from Moscow, RU', sessionIds: [session.id] }),
      rule: { title: 'Live sessions from places too far apart', runbook: 'Ask the user which login is theirs.' },
      user: makeUser(),
      sessions: [session],
      now: NOW,
      state: 'open',
    });
    const { html, text } = renderBot(msg.blocks);
    expect(text).toContain('\u{1F534} High · another session from Moscow, RU');
    expect(text).toContain('Ask the user which login is theirs.');
    expect(html).toContain('<h3 class="bk-header">');
    expect(html).not.toContain('role="dialog"');
  });
});

describe('bot modals', () => {
  const target = { userId: '005000000000001AAA', username: 'ada@acme.com', name: 'Ada Lovelace', email: 'ada@acme.com', isActive: true, isFrozen: false };
  const radius = {
    sessionsToEnd: 12,
    families: 3,
    integrationSessions: 1,
    sessionTypes: ['UI', 'Oauth2'],
    connectedApps: [{ appName: 'Data Loader', useCount: 1204, lastUsedAt: new Date(NOW.getTime() - HOUR) }],
    isIntegrationUser: false,
    isBotTarget: false,
    warnings: [],
    concerned: [],
  };

  it('the contain request modal: plan, options checkbox and the required reason, starting empty', () => {
    const view = requestModal({ now: NOW, kind: 'contain', target, blastRadius: radius, privateMetadata: '{}' });
    const values = initialValues(view.blocks);
    expect(values).toEqual({
      contain_options: { contain_options_input: { type: 'checkboxes', selected_options: [] } },
      reason: { reason_input: { type: 'plain_text_input', value: null } },
    });
    const { ctx } = recorder({ values, errors: { reason: 'Give a reason of at least 5 characters' } });
    const { html, text } = renderBot(view.blocks, ctx);
    expect(text).toContain('Plan, in this order');
    expect(text).toContain('Also reset the password');
    expect(text).toContain('Why? (shown to the approver and kept in the audit trail)');
    expect(text).toContain('5–1,000 characters');
    expect(text).toContain('Give a reason of at least 5 characters');
    expect(html).toMatch(/<textarea[^>]*data-action-id="reason_input"/);
  });

  it('the revoke-tokens modal: the apps as checkboxes, all ticked', () => {
    const view = requestModal({ now: NOW, kind: 'revoke_tokens', target, blastRadius: radius, grants: radius.connectedApps, privateMetadata: '{}' });
    const values = initialValues(view.blocks);
    expect(values.grants?.grants_input).toMatchObject({ type: 'checkboxes', selected_options: [{ value: 'Data Loader' }] });
    const { html } = renderBot(view.blocks, recorder({ values }).ctx);
    expect(html).toMatch(/<input type="checkbox"[^>]*value="Data Loader" checked/);
  });

  it('the suppress modal: scope radio preselected, network input with the alert address, days as a number input', () => {
    const view = suppressModal({
      rule: { id: 'distant-places', title: 'Live sessions from places too far apart' },
      user: { name: 'Ada Lovelace', username: 'ada@acme.com' },
      ips: ['198.51.100.9'],
      apps: [],
      privateMetadata: '{}',
    });
    const values = initialValues(view.blocks);
    expect(values).toEqual({
      suppress_scope: { suppress_scope_input: { type: 'radio_buttons', selected_option: expect.objectContaining({ value: 'user' }) as unknown } },
      suppress_network: { suppress_network_input: { type: 'plain_text_input', value: '198.51.100.9' } },
      suppress_days: { suppress_days_input: { type: 'number_input', value: '7' } },
      suppress_reason: { suppress_reason_input: { type: 'plain_text_input', value: null } },
    });
    const { html, text } = renderBot(view.blocks, recorder({ values }).ctx);
    expect(text).toContain('Address or network (optional)');
    expect(html).toMatch(/<input[^>]*type="number"[^>]*value="7"/);
    expect(html).toMatch(/type="radio"[^>]*value="user" checked/);
  });
});

describe('the App Home', () => {
  it('renders open alerts, pending requests, suppressions and the monitor without gaps', () => {
    const { text } = renderBot(homeView(makeHomeSnapshot()).blocks);
    expect(text).toContain('\u{1F534}');
    expect(text).toContain('Person 1');
    expect(text).toContain('Finding number 1');
    expect(text).toContain('Travelling to the Lisbon office');
    expect(text).toContain('1,234');
  });
});
