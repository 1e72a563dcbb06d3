import type { Checkboxes, InputBlock, ModalView, SectionBlock } from '@slack/types';
import { ACTION_KINDS } from '../../../src/domain/action-kinds';
import { ACTIONS } from '../../../src/slack/views/action-ids';
import { ACTION_LABELS, REQUEST_ACTION_IDS, REQUEST_ACTION_KINDS } from '../../../src/slack/views/action-labels';
import {
  parseRequestSubmission,
  requestModal,
  type BlastRadius,
  type ConcernedSessionView,
  type ConnectedAppUse,
  type ModalTarget,
  type SubmittedValues,
} from '../../../src/slack/views/request-modal';
import { checkViewPayload } from '../../standins/slack/blockkit';
import { allText } from '../../support/assert-valid-blocks';
import { requestMessage } from '../../../src/slack/views/request-message';
import { DAY, HOUR, NOW, makeConcerned, makeEvidence, requestOf, sessionId } from '../../support/view-factories';

const target: ModalTarget = {
  userId: '005000000000001AAA',
  username: 'ada@acme.com',
  name: 'Ada Lovelace',
  email: 'ada@acme.com',
  isActive: true,
  isFrozen: false,
};

const dataLoader: ConnectedAppUse = { appName: 'Data Loader', useCount: 1204, lastUsedAt: new Date(NOW.getTime() - DAY) };

function radius(over: Partial<BlastRadius> = {}): BlastRadius {
  return {
    sessionsToEnd: 12,
    families: 3,
    integrationSessions: 0,
    sessionTypes: ['UI', 'Aura', 'Oauth2'],
    connectedApps: [],
    isIntegrationUser: false,
    isBotTarget: false,
    warnings: [],
    concerned: [],
    ...over,
  };
}

const META = JSON.stringify({ k: 'remove_all', u: target.userId });

function expectValidView(view: ModalView): void {
  expect(checkViewPayload(view)).toEqual([]);
  expect(view.callback_id).toBe('action_request');
  expect(view.private_metadata).toBe(META);
}

function inputs(view: ModalView): InputBlock[] {
  return view.blocks.filter((b): b is InputBlock => b.type === 'input');
}

function blockText(blocks: ModalView['blocks'], blockId: string): string {
  const b = blocks.find((x) => x.block_id === blockId);
  return b?.type === 'section' ? ((b as SectionBlock).text?.text ?? '') : '';
}

describe('ACTION_LABELS and REQUEST_ACTION_KINDS', () => {
  it('labels every kind with a title that fits a modal and the approvals the two-person rule needs', () => {
    for (const kind of ACTION_KINDS) {
      expect(ACTION_LABELS[kind].title.length).toBeLessThanOrEqual(24);
      expect(ACTION_LABELS[kind].approvals).toBe(kind === 'deactivate' ? 2 : 1);
    }
    expect(ACTION_LABELS.revoke_tokens.verb).toBe('Revoke OAuth tokens');
  });

  it('maps each request button to its kind and nothing else', () => {
    expect(REQUEST_ACTION_KINDS[ACTIONS.removeSession]).toBe('remove_session');
    expect(REQUEST_ACTION_KINDS[ACTIONS.contain]).toBe('contain');
    expect(REQUEST_ACTION_KINDS[ACTIONS.approve]).toBeUndefined();
    const inherited: string = 'toString';
    expect(REQUEST_ACTION_KINDS[inherited]).toBeUndefined();
    expect(new Set(REQUEST_ACTION_IDS.map((id) => REQUEST_ACTION_KINDS[id]))).toEqual(new Set(ACTION_KINDS));
  });
});

describe('requestModal', () => {
  it('opens with a loading view that has no inputs and no submit', () => {
    const view = requestModal({ now: NOW, kind: 'remove_all', target, blastRadius: null, privateMetadata: META, loading: true });
    expectValidView(view);
    expect(view.title.text).toBe('Remove all sessions');
    expect(view.submit).toBeUndefined();
    expect(inputs(view)).toHaveLength(0);
    expect(allText(view.blocks)).toContain('Reading the user and the blast radius from Salesforce…');
    // Opened before Salesforce is asked, it must not show a name it does not know yet.
    expect(allText(view.blocks)).not.toContain(target.username);
  });

  it.each([
    ['remove_session', target, radius({ sessionsToEnd: 0, families: 0, warnings: ['These sessions have already ended; the request would change nothing.'] })],
    ['remove_all', target, radius({ sessionsToEnd: 0, families: 0 })],
    ['freeze', { ...target, isFrozen: true }, radius()],
    ['unfreeze', { ...target, isFrozen: false }, radius()],
    ['deactivate', { ...target, isActive: false }, radius()],
  ] as const)('offers no Request approval when %s would change nothing', (kind, who, br) => {
    const view = requestModal({ now: NOW, kind, target: who, blastRadius: br, privateMetadata: META });
    expectValidView(view);
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe('Close');
    expect(inputs(view).find((b) => b.block_id === 'reason')).toBeUndefined();
    expect(allText(view.blocks)).toMatch(/changes? nothing|no open session/i);
  });

  it('shows the blast radius, a required reason and the submit/cancel buttons for every kind', () => {
    for (const kind of ACTION_KINDS) {
      // Unfreezing a user who is not frozen would change nothing (see the next test).
      const who = kind === 'unfreeze' ? { ...target, isFrozen: true } : target;
      const view = requestModal({
        now: NOW,
        kind,
        target: who,
        blastRadius: radius({ connectedApps: [dataLoader] }),
        grants: [dataLoader],
        privateMetadata: META,
      });
      expectValidView(view);
      expect(view.title.text).toBe(ACTION_LABELS[kind].title);
      expect(view.submit?.text).toBe('Request approval');
      expect(view.close?.text).toBe('Cancel');
      const reason = inputs(view).find((b) => b.block_id === 'reason');
      expect(reason?.optional).not.toBe(true);
      expect(reason?.label.text).toBe('Why? (shown to the approver and kept in the audit trail)');
      expect(reason?.element).toMatchObject({ type: 'plain_text_input', action_id: 'reason_input', multiline: true, min_length: 5, max_length: 1000 });
      expect(blockText(view.blocks, 'impact')).toMatch(/^\*What will stop working\*\n• /);
    }
  });

  it('counts the sessions and warns about integration sessions, integration users and extra warnings', () => {
    const view = requestModal({
      now: NOW,
      kind: 'remove_all',
      target,
      privateMetadata: META,
      blastRadius: radius({
        integrationSessions: 2,
        connectedApps: [dataLoader],
        isIntegrationUser: true,
        profileName: 'Salesforce API Only System Integrations',
        warnings: ['Token <b>&'],
      }),
    });
    expectValidView(view);
    const impact = blockText(view.blocks, 'impact');
    expect(impact).toContain('• Ends 12 sessions in 3 families (UI, Aura, Oauth2)');
    expect(impact).toMatch(/:warning: 2 integration sessions will stop \(connected apps using this user: Data Loader — 1,204 uses, last used <!date\^\d+\^/);
    expect(impact).toContain(':warning: This is an integration user (profile Salesforce API Only System Integrations): jobs that log in as it will fail');
    expect(impact).toContain(':warning: Token &lt;b&gt;&amp;');
    expect(impact).not.toContain('two approvers');
  });

  it('says deactivation needs two approvers and a password reset e-mails the user', () => {
    const deactivate = requestModal({ now: NOW, kind: 'deactivate', target, blastRadius: radius({ sessionsToEnd: 0 }), privateMetadata: META });
    expect(blockText(deactivate.blocks, 'impact')).toContain('Deactivate needs two approvers');
    expect(allText(deactivate.blocks)).toContain('Two approvers must approve');
    const reset = requestModal({ now: NOW, kind: 'reset_password', target, blastRadius: radius(), privateMetadata: META });
    expect(blockText(reset.blocks, 'impact')).toContain('The temporary password Salesforce generates is discarded; Salesforce e-mails the user a reset link');
    expect(blockText(reset.blocks, 'impact')).not.toContain('Ends 12 sessions');
  });

  it('escapes the target name and username', () => {
    const view = requestModal({
      now: NOW,
      kind: 'freeze',
      target: { ...target, name: '<!channel> Eve & co', username: '<https://evil.example|click>' },
      blastRadius: radius(),
      privateMetadata: META,
    });
    expectValidView(view);
    const text = blockText(view.blocks, 'target');
    expect(text).toContain('&lt;!channel&gt; Eve &amp; co');
    expect(text).toContain('&lt;https://evil.example|click&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('lists every grant pre-selected, by app name only, split into groups Slack accepts (25 grants)', () => {
    const grants: ConnectedAppUse[] = Array.from({ length: 25 }, (_, i) => ({
      appName: `App ${i} ${'x'.repeat(i === 3 ? 200 : 10)}`,
      useCount: i * 1000,
      lastUsedAt: i % 2 === 0 ? null : new Date(NOW.getTime() - i * DAY),
    }));
    const view = requestModal({ now: NOW, kind: 'revoke_tokens', target, blastRadius: radius({ connectedApps: grants }), grants, privateMetadata: META });
    expectValidView(view);
    const groups = inputs(view).filter((b) => b.block_id?.startsWith('grants'));
    expect(groups.map((g) => g.block_id)).toEqual(['grants', 'grants_2', 'grants_3']);
    const boxes = groups.map((g) => g.element as Checkboxes);
    expect(boxes.map((b) => b.options.length)).toEqual([10, 10, 5]);
    for (const b of boxes) {
      expect(b.action_id).toBe('grants_input');
      expect(b.initial_options).toEqual(b.options);
    }
    const values = boxes.flatMap((b) => b.options.map((o) => o.value));
    expect(values[0]).toBe('App 0 xxxxxxxxxx');
    expect(values[3]).toHaveLength(150);
    expect(new Set(values).size).toBe(25);
    expect(boxes[0]?.options[1]?.text.text).toBe('App 1 xxxxxxxxxx — 1,000 uses');
  });

  it('shows one option per app when an app has several grants', () => {
    const grants = [dataLoader, { ...dataLoader, useCount: 6, lastUsedAt: NOW }];
    const view = requestModal({ now: NOW, kind: 'revoke_tokens', target, blastRadius: radius(), grants, privateMetadata: META });
    const box = inputs(view).find((b) => b.block_id === 'grants')?.element as Checkboxes;
    expect(box.options).toHaveLength(1);
    expect(box.options[0]?.text.text).toBe('Data Loader — 1,210 uses');
    expect(box.options[0]?.description?.text).toBe('last used 2026-11-26 12:00 UTC');
  });

  it('offers nothing to submit when there is no grant to revoke', () => {
    const view = requestModal({ now: NOW, kind: 'revoke_tokens', target, blastRadius: radius(), grants: [], privateMetadata: META });
    expectValidView(view);
    expect(view.submit).toBeUndefined();
    expect(inputs(view)).toHaveLength(0);
    expect(blockText(view.blocks, 'no_grants')).toContain('no connected-app grants');
  });

  it('refuses to offer a request against the bot itself', () => {
    const view = requestModal({ now: NOW, kind: 'remove_all', target, blastRadius: radius({ isBotTarget: true }), privateMetadata: META });
    expectValidView(view);
    expect(view.submit).toBeUndefined();
    expect(blockText(view.blocks, 'impact')).toContain("bot's own Salesforce user");
  });

  it('lists the containment plan with an unticked password-reset option', () => {
    const view = requestModal({ now: NOW, kind: 'contain', target, blastRadius: radius({ connectedApps: [dataLoader] }), privateMetadata: META });
    expectValidView(view);
    expect(blockText(view.blocks, 'contain_plan')).toContain(
      '1. Freeze the user (no new logins)\n2. Remove all sessions\n3. Revoke all OAuth tokens\n4. (optional) Reset the password',
    );
    const box = inputs(view).find((b) => b.block_id === 'contain_options')?.element as Checkboxes;
    expect(box.action_id).toBe('contain_options_input');
    expect(box.options).toEqual([
      { text: { type: 'plain_text', text: 'Also reset the password (Salesforce e-mails the user)', emoji: true }, value: 'reset_password' },
    ]);
    expect(box.initial_options).toBeUndefined();
  });

  it('accepts private_metadata up to 3,000 characters and refuses more', () => {
    const full = 'x'.repeat(3000);
    expect(checkViewPayload(requestModal({ now: NOW, kind: 'freeze', target, blastRadius: radius(), privateMetadata: full }))).toEqual([]);
    expect(() => requestModal({ now: NOW, kind: 'freeze', target, blastRadius: radius(), privateMetadata: `${full}x` })).toThrow(/3000/);
  });
});

describe('requestModal: the sessions a request ends', () => {
  const loginAt = new Date(NOW.getTime() - 3 * HOUR - 10 * 60_000);

  function family(n: number, over: Partial<ConcernedSessionView> = {}): ConcernedSessionView {
    return {
      id: sessionId(n),
      sessionType: 'UI',
      loginType: 'Application',
      ip: `198.51.100.${n}`,
      place: 'Moscow, RU',
      loginAt,
      createdAt: loginAt,
      children: 2,
      findings: [],
      ...over,
    };
  }

  function lines(view: ModalView): string[] {
    return blockText(view.blocks, 'concerned').split('\n');
  }

  it('names the session a remove-session request ends, with what the rules said about it', () => {
    const concerned = [family(9, { findings: ['Impossible travel: San Francisco → Moscow', 'Older than the 2 h timeout'] })];
    const view = requestModal({
      now: NOW,
      kind: 'remove_session',
      target,
      blastRadius: radius({ sessionsToEnd: 3, families: 1, concerned }),
      privateMetadata: META,
    });
    expectValidView(view);
    expect(lines(view)).toEqual([
      '*Session this ends*',
      `• \`198.51.100.9\` · Moscow, RU · UI / Application · logged in <!date^${Math.floor(loginAt.getTime() / 1000)}^{date_short_pretty} {time}|2026-11-26 08:50 UTC> · 3 h 10 min old · 2 more sessions in this login`,
      '      ↳ Impossible travel: San Francisco → Moscow',
      '      ↳ Older than the 2 h timeout',
    ]);
    const ids = view.blocks.map((b) => b.block_id);
    expect(ids.indexOf('concerned')).toBe(ids.indexOf('impact') + 1);
    expect(ids.indexOf('concerned')).toBeLessThan(ids.indexOf('reason'));
  });

  it('lists the first 10 families of a remove-all or contain request and says how many more', () => {
    const concerned = Array.from({ length: 15 }, (_, i) => family(i + 1, { findings: [`Finding ${i + 1}`] }));
    for (const kind of ['remove_all', 'contain'] as const) {
      const view = requestModal({ now: NOW, kind, target, blastRadius: radius({ concerned }), privateMetadata: META });
      expectValidView(view);
      const text = lines(view);
      expect(text[0]).toBe('*Sessions this ends*');
      expect(text.filter((l) => l.startsWith('• '))).toHaveLength(10);
      expect(text).toContain('      ↳ Finding 10');
      expect(text).not.toContain('      ↳ Finding 11');
      expect(text[text.length - 1]).toBe('…and 5 more logins');
    }
  });

  it('keeps within a section when every family is long', () => {
    const long = '&<>'.repeat(100);
    const concerned = Array.from({ length: 50 }, (_, i) =>
      family(i + 1, { ip: long, place: long, sessionType: long, loginType: long, findings: Array.from({ length: 5 }, () => long) }),
    );
    const view = requestModal({ now: NOW, kind: 'remove_all', target, blastRadius: radius({ concerned }), privateMetadata: META });
    expectValidView(view);
    expect(blockText(view.blocks, 'concerned')).toMatch(/\n…and \d+ more logins$/);
  });

  it.each(['freeze', 'unfreeze', 'reset_password', 'revoke_tokens', 'deactivate'] as const)('lists no session for %s, which ends none', (kind) => {
    const view = requestModal({ now: NOW, kind, target, blastRadius: radius({ concerned: [family(1)] }), grants: [dataLoader], privateMetadata: META });
    expectValidView(view);
    expect(blockText(view.blocks, 'concerned')).toBe('');
  });

  it('lists nothing when no session is open, or the target is the bot', () => {
    const none = requestModal({ now: NOW, kind: 'remove_all', target, blastRadius: radius({ sessionsToEnd: 0, families: 0 }), privateMetadata: META });
    expect(blockText(none.blocks, 'concerned')).toBe('');
    expect(blockText(none.blocks, 'impact')).toContain('No open session to end right now');
    const bot = requestModal({
      now: NOW,
      kind: 'remove_all',
      target,
      blastRadius: radius({ isBotTarget: true, concerned: [family(1)] }),
      privateMetadata: META,
    });
    expect(blockText(bot.blocks, 'concerned')).toBe('');
  });

  it.each([
    ['<!channel>', '&lt;!channel&gt;', '<!channel>'],
    ['<http://x|y>', '&lt;http://x|y&gt;', '<http://x|y>'],
    ['<@U0BADBAD1> & co', '&lt;@U0BADBAD1&gt; &amp; co', '<@U0BADBAD1>'],
  ])('escapes %s in places, IPs, types and findings', (hostile, shown, absent) => {
    const concerned = [family(1, { ip: hostile, place: hostile, sessionType: hostile, loginType: hostile, findings: [hostile] })];
    const view = requestModal({ now: NOW, kind: 'remove_session', target, blastRadius: radius({ concerned }), privateMetadata: META });
    expectValidView(view);
    expect(blockText(view.blocks, 'concerned')).toContain(shown);
    expect(allText(view.blocks)).not.toContain(absent);
  });

  it('names a session exactly as the request message will show it to the approvers', () => {
    const stored = makeConcerned(1, { findings: ['Impossible travel: San Francisco → Moscow'] });
    const asView: ConcernedSessionView = { ...stored, loginAt: new Date(stored.loginAt), createdAt: new Date(stored.createdAt) };
    const modal = requestModal({ now: NOW, kind: 'remove_session', target, blastRadius: radius({ concerned: [asView] }), privateMetadata: META });
    const message = requestMessage(
      requestOf('remove_session', { familyIds: [stored.id], sessionIds: [stored.id] }, { evidence: makeEvidence({ concerned: [stored] }) }),
      { now: NOW },
    );
    const messageText = allText(message.blocks).split('\n');
    const modalLines = lines(modal).slice(1);
    expect(modalLines).toHaveLength(2);
    for (const line of modalLines) expect(messageText).toContain(line);
  });
});

describe('requestModal: connected apps whose use count Salesforce did not give', () => {
  it('says the count is unknown, in the impact and the revoke options', () => {
    const unknown: ConnectedAppUse = { appName: 'Workbench', useCount: null, lastUsedAt: null };
    const contain = requestModal({ now: NOW, kind: 'contain', target, blastRadius: radius({ connectedApps: [unknown] }), privateMetadata: META });
    expect(blockText(contain.blocks, 'impact')).toContain('Revokes every OAuth grant: Workbench — use count unknown, never used');
    const revoke = requestModal({
      now: NOW,
      kind: 'revoke_tokens',
      target,
      blastRadius: radius(),
      grants: [unknown, { ...dataLoader, appName: 'Workbench' }],
      privateMetadata: META,
    });
    expectValidView(revoke);
    const box = inputs(revoke).find((b) => b.block_id === 'grants')?.element as Checkboxes;
    expect(box.options[0]?.text.text).toBe('Workbench — use count unknown');
  });
});

describe('parseRequestSubmission', () => {
  const reason = (value: string | null): SubmittedValues => ({ reason: { reason_input: { value } } });

  it('trims the reason', () => {
    expect(parseRequestSubmission(reason('  Login from Moscow \n'))).toEqual({ reason: 'Login from Moscow' });
  });

  it('refuses a reason shorter than 5 characters after trimming, or missing', () => {
    for (const v of ['   abcd   ', '', null]) {
      expect(parseRequestSubmission(reason(v))).toEqual({ errors: { reason: 'Give a reason of at least 5 characters' } });
    }
    expect(parseRequestSubmission({})).toEqual({ errors: { reason: 'Give a reason of at least 5 characters' } });
  });

  it('collects the picked apps across all grant groups', () => {
    const values: SubmittedValues = {
      ...reason('compromised laptop'),
      grants: { grants_input: { selected_options: [{ value: 'Data Loader' }, { value: 'Workbench' }] } },
      grants_2: { grants_input: { selected_options: [{ value: 'Tableau' }] } },
      grants_3: { grants_input: { selected_options: [] } },
    };
    expect(parseRequestSubmission(values)).toEqual({ reason: 'compromised laptop', appNames: ['Data Loader', 'Workbench', 'Tableau'] });
  });

  it('refuses a revocation with no app picked, on the first grants block', () => {
    const values: SubmittedValues = {
      ...reason('x'),
      grants: { grants_input: { selected_options: [] } },
      grants_2: { grants_input: { selected_options: null } },
    };
    expect(parseRequestSubmission(values)).toEqual({
      errors: { reason: 'Give a reason of at least 5 characters', grants: 'Pick at least one connected app to revoke' },
    });
  });

  it('reads the containment password-reset option either way', () => {
    const ticked = { ...reason('phished user'), contain_options: { contain_options_input: { selected_options: [{ value: 'reset_password' }] } } };
    const unticked = { ...reason('phished user'), contain_options: { contain_options_input: { selected_options: [] } } };
    expect(parseRequestSubmission(ticked)).toEqual({ reason: 'phished user', resetPassword: true });
    expect(parseRequestSubmission(unticked)).toEqual({ reason: 'phished user', resetPassword: false });
  });
});
