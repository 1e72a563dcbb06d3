import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Finding, FindingEvidence, Session } from '../../../src/domain/types';
import {
  ACTIONS,
  ALERT_ACTIONS,
  INVESTIGATE_ACTIONS,
  MAX_ALERT_SESSION_IDS,
  MAX_BUTTON_VALUE_LENGTH,
  REQUEST_BUTTON_IDS,
  decodeAlertRemoveValue,
  decodeValue,
  encodeAlertRemoveValue,
  isAlertKeyValue,
  isAlertSessionsValue,
} from '../../../src/slack/views/action-ids';
import { alertMessage, budgetNotice, type AlertMessageInput } from '../../../src/slack/views/alert';
import { LIMITS } from '../../../src/slack/views/blocks';
import { MAX_FALLBACK_TEXT } from '../../../src/slack/views/message';
import { blockTextLength } from '../../../src/slack/views/text';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { HOUR, MOSCOW, NOW, makeFinding, makeSession, makeUser, sessionId } from '../../support/view-factories';

const USER_ID = '005000000000001AAA';
const MINUTE = 60_000;

const RULE = {
  title: 'Live sessions of one user from places too far apart for the time between their logins',
  runbook: 'Ask the user which login is theirs; remove the other session and reset the password.',
};

const SF_SESSION = makeSession(1, {
  sourceIp: '203.0.113.7',
  createdAt: new Date(NOW.getTime() - 3 * HOUR),
  login: { loginTime: new Date(NOW.getTime() - 3 * HOUR), browser: null, platform: null, application: null, loginType: 'Application' },
});
const MOSCOW_SESSION = makeSession(2, {
  sourceIp: '198.51.100.9',
  place: MOSCOW,
  sessionType: 'UI',
  loginType: 'Application',
  createdAt: new Date(NOW.getTime() - HOUR),
  login: { loginTime: new Date(NOW.getTime() - HOUR), browser: null, platform: null, application: null, loginType: 'Application' },
});

const TRAVEL: FindingEvidence = {
  kind: 'travel',
  from: { rowId: SF_SESSION.id, at: new Date(NOW.getTime() - 3 * HOUR), label: 'San Francisco, US', countryIso: 'US', ip: '203.0.113.7' },
  to: { rowId: MOSCOW_SESSION.id, at: new Date(NOW.getTime() - HOUR), label: 'Moscow, RU', countryIso: 'RU', ip: '198.51.100.9' },
  km: 9_450,
  speedKmh: 4_725,
  gapMs: 2 * HOUR,
};

function finding(over: Partial<Finding> = {}): Finding {
  return makeFinding({
    rule: 'distant-places',
    severity: 'high',
    message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 120 min apart',
    sessionIds: [SF_SESSION.id, MOSCOW_SESSION.id],
    key: `distant-places:${USER_ID}:${SF_SESSION.id},${MOSCOW_SESSION.id}`,
    groupKey: `distant-places:${USER_ID}`,
    evidence: TRAVEL,
    ...over,
  });
}

function input(over: Partial<AlertMessageInput> = {}): AlertMessageInput {
  return { finding: finding(), rule: RULE, user: makeUser(), sessions: [SF_SESSION, MOSCOW_SESSION], now: NOW, state: 'open', ...over };
}

function sectionText(blocks: KnownBlock[], id: string): string {
  const b = blocks.find((x): x is SectionBlock => x.type === 'section' && x.block_id === id);
  return b?.text?.text ?? '';
}

function contextText(blocks: KnownBlock[], id: string): string {
  const b = blocks.find((x): x is ContextBlock => x.type === 'context' && x.block_id === id);
  return (b?.elements ?? []).map((e) => ('text' in e ? e.text : '')).join('\n');
}

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements.filter((e): e is Button => e.type === 'button'));
}

function epoch(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

describe('alertMessage', () => {
  it('shows the rule, severity in words, user, evidence, sessions, runbook and five buttons', () => {
    const msg = alertMessage(input());
    expectValidMessage(msg);
    expect(msg.blocks[0]).toEqual<HeaderBlock>({ type: 'header', text: { type: 'plain_text', text: RULE.title, emoji: true } });
    expect(sectionText(msg.blocks, 'alert_summary')).toBe(
      ':red_circle: High · another session from Moscow, RU — 9,400 km from San Francisco, US, 120 min apart',
    );
    expect(sectionText(msg.blocks, 'alert_user')).toBe('*User* *Ada Lovelace* · ada@acme.com · System Administrator');
    expect(sectionText(msg.blocks, 'alert_runbook')).toBe(`*What to do* ${RULE.runbook}`);
    expect(contextText(msg.blocks, 'alert_meta')).toBe(`As of <!date^${epoch(NOW)}^{date_short_pretty} {time}|2026-11-26 12:00 UTC> · rule \`distant-places\``);
    expect(msg.text).toBe(
      `High alert: ${RULE.title} — Ada Lovelace (ada@acme.com): another session from Moscow, RU — 9,400 km from San Francisco, US, 120 min apart`,
    );

    const [remove, contain, history, show, investigate] = buttons(msg.blocks);
    expect(buttons(msg.blocks)).toHaveLength(5);
    expect(remove).toMatchObject({ action_id: ALERT_ACTIONS.removeSessions, text: { text: 'Remove these sessions' }, style: 'danger' });
    expect(remove?.confirm?.text.text).toBe('A second admin must approve ending the 2 sessions of Ada Lovelace named in this alert.');
    expect(decodeAlertRemoveValue(remove?.value)).toEqual({ u: USER_ID, ss: [SF_SESSION.id, MOSCOW_SESSION.id] });
    // The other three reuse existing listeners with values those listeners accept.
    expect(contain).toMatchObject({ action_id: REQUEST_BUTTON_IDS.contain, value: JSON.stringify({ u: USER_ID }) });
    expect(history).toMatchObject({ action_id: ACTIONS.history, text: { text: 'Login history' } });
    expect(show).toMatchObject({ action_id: ACTIONS.pickUser, text: { text: 'Show sessions' } });
    expect(investigate).toMatchObject({ action_id: INVESTIGATE_ACTIONS.session, text: { text: 'What did they do?' } });
    for (const b of [contain, history, show, investigate]) expect(decodeValue(b?.value)).toEqual({ u: USER_ID });
  });

  it('travel: both places with IPs and times, the distance, the gap and the implied speed', () => {
    const text = sectionText(alertMessage(input()).blocks, 'alert_evidence');
    expect(text).toBe(
      [
        `*From* San Francisco, US · \`203.0.113.7\` · <!date^${epoch(TRAVEL.from.at)}^{date_short_pretty} {time}|2026-11-26 09:00 UTC>`,
        `*To* Moscow, RU · \`198.51.100.9\` · <!date^${epoch(TRAVEL.to.at)}^{date_short_pretty} {time}|2026-11-26 11:00 UTC>`,
        '*Distance* 9,500 km in 2 h → implied speed *4,725 km/h*',
      ].join('\n'),
    );
  });

  it('travel without coordinates or with no time between says so', () => {
    const unknown = alertMessage(input({ finding: finding({ evidence: { ...TRAVEL, km: null, speedKmh: null } }) }));
    expect(sectionText(unknown.blocks, 'alert_evidence')).toContain('*Distance* distance unknown (no coordinates; the countries differ) in 2 h');
    const instant = alertMessage(input({ finding: finding({ evidence: { ...TRAVEL, speedKmh: Infinity, gapMs: 0 } }) }));
    expect(sectionText(instant.blocks, 'alert_evidence')).toContain('*Distance* 9,500 km in under 1 min → both at the same instant');
    expectValidMessage(unknown);
    expectValidMessage(instant);
  });

  it('session-age: the age against the timeout, and against the rotation policy for integrations', () => {
    const createdAt = new Date(NOW.getTime() - 3 * HOUR - 10 * MINUTE);
    const person = alertMessage(
      input({
        finding: finding({
          rule: 'session-timeout',
          severity: 'medium',
          message: 'older than the 2 h timeout (alive 3 h 10 min)',
          sessionIds: [SF_SESSION.id],
          evidence: { kind: 'session-age', createdAt, ageMs: 3 * HOUR + 10 * MINUTE, wholeDays: 0, timeoutMinutes: 120, maxAgeDays: 30 },
        }),
        sessions: [SF_SESSION],
      }),
    );
    expectValidMessage(person);
    expect(sectionText(person.blocks, 'alert_summary')).toMatch(/^:large_orange_circle: Medium · /);
    expect(sectionText(person.blocks, 'alert_evidence')).toBe(
      `*Age* 3 h 10 min (created <!date^${epoch(createdAt)}^{date_short_pretty} {time}|2026-11-26 08:50 UTC>)\n*Policy* 2 h timeout; never more than 30 days`,
    );
    const integration = alertMessage(
      input({
        finding: finding({
          rule: 'token-age',
          evidence: { kind: 'session-age', createdAt, ageMs: 45 * 24 * HOUR, wholeDays: 45, timeoutMinutes: null, maxAgeDays: 30 },
        }),
      }),
    );
    expect(sectionText(integration.blocks, 'alert_evidence')).toContain('*Age* 45 days');
    expect(sectionText(integration.blocks, 'alert_evidence')).toContain('*Policy* integration sessions are rotated within 30 days');
  });

  it('grant-age: the app, the token age and the policy; no sessions, so no Remove button', () => {
    const createdAt = new Date(NOW.getTime() - 45 * 24 * HOUR);
    const msg = alertMessage(
      input({
        finding: finding({
          rule: 'token-age',
          severity: 'low',
          subject: 'grants',
          sessionIds: [],
          message: "connected app 'Data Loader' token is 45 days old; rotation policy is 30",
          evidence: { kind: 'grant-age', appName: 'Data Loader', createdAt, wholeDays: 45, maxAgeDays: 30 },
        }),
        sessions: [],
      }),
    );
    expectValidMessage(msg);
    expect(sectionText(msg.blocks, 'alert_summary')).toMatch(/^:large_yellow_circle: Low · /);
    expect(sectionText(msg.blocks, 'alert_evidence')).toBe(
      `*Connected app* Data Loader\n*Token age* 45 days (granted <!date^${epoch(createdAt)}^{date_short_pretty} {time}|2026-10-12 12:00 UTC>)\n*Policy* rotated within 30 days`,
    );
    expect(msg.blocks.some((b) => b.block_id === 'alert_sessions')).toBe(false);
    expect(buttons(msg.blocks).map((b) => b.action_id)).toEqual([ACTIONS.contain, ACTIONS.history, ACTIONS.pickUser, INVESTIGATE_ACTIONS.session]);
  });

  it('failed-logins: the count, the span, the window, the reasons and the success that followed', () => {
    const at = new Date(NOW.getTime() - 20 * MINUTE);
    const msg = alertMessage(
      input({
        finding: finding({
          rule: 'failed-then-success',
          subject: 'logins',
          sessionIds: [MOSCOW_SESSION.id],
          evidence: {
            kind: 'failed-logins',
            failures: 4,
            reasons: ['Invalid Password', 'Invalid Password (locked)'],
            spanMs: 12 * MINUTE,
            windowMinutes: 60,
            success: { rowId: '0Ya000000000000001', at, label: 'Moscow, RU', countryIso: 'RU', ip: '198.51.100.9' },
          },
        }),
        sessions: [MOSCOW_SESSION],
      }),
    );
    expectValidMessage(msg);
    expect(sectionText(msg.blocks, 'alert_evidence')).toBe(
      [
        '*4 failed logins* within 12 min (window: 60 minutes)',
        '*Reasons* Invalid Password, Invalid Password (locked)',
        `*Then a success* Moscow, RU · \`198.51.100.9\` · <!date^${epoch(at)}^{date_short_pretty} {time}|2026-11-26 11:40 UTC>`,
      ].join('\n'),
    );
    expect(decodeAlertRemoveValue(buttons(msg.blocks)[0]?.value)).toEqual({ u: USER_ID, ss: [MOSCOW_SESSION.id] });
  });

  it('new-country: the new country with the login, and the countries seen before', () => {
    const at = new Date(NOW.getTime() - 5 * MINUTE);
    const login = { rowId: '0Ya000000000000002', at, label: 'Lagos, NG', countryIso: 'NG', ip: '192.0.2.55' };
    const msg = alertMessage(
      input({
        finding: finding({ rule: 'new-country', severity: 'medium', evidence: { kind: 'new-country', login, countryIso: 'NG', knownCountries: ['GB', 'US'] } }),
      }),
    );
    expectValidMessage(msg);
    expect(sectionText(msg.blocks, 'alert_evidence')).toBe(
      `*New country* NG — Lagos, NG · \`192.0.2.55\` · <!date^${epoch(at)}^{date_short_pretty} {time}|2026-11-26 11:55 UTC>\n*Seen before* GB, US`,
    );
    const firstEver = alertMessage(input({ finding: finding({ evidence: { kind: 'new-country', login, countryIso: 'NG', knownCountries: [] } }) }));
    expect(sectionText(firstEver.blocks, 'alert_evidence')).toContain('*Seen before* none on record');
  });

  it('spray: the address with its place, how many people it tried, and who then signed in from it', () => {
    const firstAt = new Date(NOW.getTime() - 9 * MINUTE);
    const spray = (victims: string[]): FindingEvidence => ({
      kind: 'spray',
      ip: '198.51.100.66',
      place: { rowId: '0Ya000000000000003', at: firstAt, label: 'Lagos, NG', countryIso: 'NG', ip: '198.51.100.66' },
      people: 12,
      failures: 14,
      spanMs: 6 * MINUTE,
      firstAt,
      lastAt: new Date(firstAt.getTime() + 6 * MINUTE),
      victims,
    });
    const got = alertMessage(
      input({
        finding: finding({ rule: 'password-spraying', subject: 'logins', sessionIds: [MOSCOW_SESSION.id], evidence: spray([USER_ID]) }),
        sessions: [MOSCOW_SESSION],
      }),
    );
    expectValidMessage(got);
    expect(sectionText(got.blocks, 'alert_evidence')).toBe(
      [
        `*Address* Lagos, NG · \`198.51.100.66\` · <!date^${epoch(firstAt)}^{date_short_pretty} {time}|2026-11-26 11:51 UTC>`,
        '*Tried* 12 people, 14 failed logins in 6 min',
        '*Then signed in from it* 1 person',
      ].join('\n'),
    );
    const nobody = alertMessage(
      input({
        finding: finding({ rule: 'password-spraying', severity: 'medium', userId: '', subject: 'logins', sessionIds: [], evidence: spray([]) }),
        sessions: [],
      }),
    );
    expectValidMessage(nobody);
    expect(sectionText(nobody.blocks, 'alert_evidence')).toContain('*Then signed in from it* nobody (yet)');
  });

  it('grant-new: the app, when it was authorised and how much it was used, and that nothing came before it', () => {
    const createdAt = new Date(NOW.getTime() - 3 * HOUR);
    const lastUsedAt = new Date(NOW.getTime() - 10 * MINUTE);
    const evidence = (last: Date | null): FindingEvidence => ({ kind: 'grant-new', appName: 'Data <Sync> Pro', createdAt, lastUsedAt: last, useCount: 1 });
    const msg = alertMessage(
      input({
        finding: finding({ rule: 'new-app-grant', severity: 'medium', subject: 'grants', sessionIds: [], evidence: evidence(lastUsedAt) }),
        sessions: [],
      }),
    );
    expectValidMessage(msg);
    expect(sectionText(msg.blocks, 'alert_evidence')).toBe(
      [
        '*Connected app* Data &lt;Sync&gt; Pro',
        `*Authorised* <!date^${epoch(createdAt)}^{date_short_pretty} {time}|2026-11-26 09:00 UTC>; used 1 time, last <!date^${epoch(lastUsedAt)}^{date_short_pretty} {time}|2026-11-26 11:50 UTC>`,
        '*Before* no earlier grant of this app and no login through it in the login window',
      ].join('\n'),
    );
    const neverUsed = alertMessage(
      input({ finding: finding({ rule: 'new-app-grant', subject: 'grants', sessionIds: [], evidence: evidence(null) }), sessions: [] }),
    );
    expect(sectionText(neverUsed.blocks, 'alert_evidence')).toContain('; used 1 time\n');
  });

  it('alert_signals: the other findings of the incident, one line each with severity and rule; absent without signals', () => {
    expect(input().finding.signals).toBeUndefined();
    expect(alertMessage(input()).blocks.some((b) => b.block_id === 'alert_signals')).toBe(false);
    const signal = (n: number, rule: string, severity: Finding['severity']): NonNullable<Finding['signals']>[number] => ({
      rule,
      severity,
      message: `signal <${n}> & more`,
      key: `${rule}:${USER_ID}:r${n}`,
      sessionIds: [MOSCOW_SESSION.id],
    });
    const two = alertMessage(input({ finding: finding({ signals: [signal(1, 'failed-then-success', 'high'), signal(2, 'new-country', 'medium')] }) }));
    expectValidMessage(two);
    expect(sectionText(two.blocks, 'alert_signals')).toBe(
      [
        '*Also seen at the same time*',
        '• :red_circle: High · `failed-then-success` signal &lt;1&gt; &amp; more',
        '• :large_orange_circle: Medium · `new-country` signal &lt;2&gt; &amp; more',
      ].join('\n'),
    );
    // Many signals: six shown, the rest counted, within Slack's section limit.
    const many = alertMessage(input({ finding: finding({ signals: Array.from({ length: 9 }, (_, i) => signal(i, 'new-country', 'medium')) }) }));
    expectValidMessage(many);
    const lines = sectionText(many.blocks, 'alert_signals').split('\n');
    expect(lines).toHaveLength(1 + 6 + 1);
    expect(lines.at(-1)).toBe('• +3 more');
  });

  it('lists the exact sessions concerned: IP, place, session and login type, login time', () => {
    const text = sectionText(alertMessage(input()).blocks, 'alert_sessions');
    const lines = text.split('\n');
    expect(lines[0]).toBe('*Sessions (2) concerned*');
    expect(lines[1]).toBe(
      `• \`203.0.113.7\` · San Francisco, US · UI / Application · logged in <!date^${epoch(SF_SESSION.createdAt)}^{date_short_pretty} {time}|2026-11-26 09:00 UTC> · 3 h old`,
    );
    expect(lines[2]).toBe(
      `• \`198.51.100.9\` · Moscow, RU · UI / Application · logged in <!date^${epoch(MOSCOW_SESSION.createdAt)}^{date_short_pretty} {time}|2026-11-26 11:00 UTC> · 60 min old`,
    );
    // A session passed twice is listed (and removed) once.
    const twice = alertMessage(input({ sessions: [SF_SESSION, SF_SESSION] }));
    expect(sectionText(twice.blocks, 'alert_sessions').split('\n')[0]).toBe('*Session concerned*');
    expect(decodeAlertRemoveValue(buttons(twice.blocks)[0]?.value)).toEqual({ u: USER_ID, ss: [SF_SESSION.id] });
  });

  it('resolved: the same text, a Resolved line, no actions block', () => {
    const open = alertMessage(input());
    const resolved = alertMessage(input({ state: 'resolved', resolution: 'ended by request R7K2MQ approved by <@UAPPROVER1>' }));
    expectValidMessage(resolved);
    expect(resolved.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(buttons(resolved.blocks)).toEqual([]);
    expect(sectionText(resolved.blocks, 'alert_resolved')).toBe(':white_check_mark: *Resolved:* ended by request R7K2MQ approved by <@UAPPROVER1>');
    for (const id of ['alert_summary', 'alert_user', 'alert_evidence', 'alert_sessions', 'alert_runbook']) {
      expect(sectionText(resolved.blocks, id)).toBe(sectionText(open.blocks, id));
    }
    expect(resolved.text).toMatch(/^Resolved: /);
    const plain = alertMessage(input({ state: 'resolved' }));
    expect(sectionText(plain.blocks, 'alert_resolved')).toBe(':white_check_mark: *Resolved*');
  });

  it('escapes everything from Salesforce and keeps only user mentions in the resolution', () => {
    const hostile = '<!channel> <https://evil.example|click> & *bold*';
    const msg = alertMessage(
      input({
        finding: finding({
          message: `login from ${hostile}`,
          evidence: { ...TRAVEL, from: { ...TRAVEL.from, label: hostile, ip: '<!here>' } },
        }),
        user: makeUser({ name: `Eve ${hostile}`, username: '<@U0BOSS>@acme.com', email: 'eve@evil.example', profileName: '<!everyone>' }),
        sessions: [
          makeSession(9, {
            sessionType: '<!channel>',
            loginType: 'Application`<!here>`',
            sourceIp: '1.2.3.4`<!here>',
            place: { ...MOSCOW, city: '<!subteam^S123>' },
          }),
        ],
        state: 'resolved',
        resolution: 'ended by <@UAPPROVER1> <!channel> & <https://evil.example|here>',
      }),
    );
    expectValidMessage(msg);
    const text = allText(msg.blocks);
    // Escaped forms are present, raw control sequences from Salesforce are not.
    expect(text).toContain('&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; *bold*');
    expect(text).toContain('&lt;@U0BOSS&gt;@acme.com');
    expect(text).toContain('&lt;!subteam^S123&gt;');
    for (const raw of ['<!channel>', '<!here>', '<!everyone>', '<https://', '<@U0BOSS>', '<!subteam']) expect(text).not.toContain(raw);
    expect(sectionText(msg.blocks, 'alert_resolved')).toBe(
      ':white_check_mark: *Resolved:* ended by <@UAPPROVER1> &lt;!channel&gt; &amp; &lt;https://evil.example|here&gt;',
    );
    expect(msg.text).not.toContain('<!channel>');
    expect(msg.text).not.toContain('<@U0BOSS>');
  });

  it('a very long session list stays within Slack limits and the Remove button carries the alert key', () => {
    const many: Session[] = Array.from({ length: 400 }, (_, i) =>
      makeSession(i + 1, { sessionType: 'UI'.padEnd(40, 'x'), place: { ...MOSCOW, city: 'C'.repeat(200) }, sourceIp: `2001:db8::${i.toString(16)}` }),
    );
    const msg = alertMessage(
      input({
        finding: finding({
          message: 'm'.repeat(5_000),
          sessionIds: many.map((s) => s.id),
          evidence: { ...TRAVEL, from: { ...TRAVEL.from, label: 'L'.repeat(5_000) } },
        }),
        user: makeUser({ name: 'N'.repeat(5_000), profileName: 'P'.repeat(5_000) }),
        rule: { title: 'T'.repeat(500), runbook: 'R'.repeat(5_000) },
        sessions: many,
      }),
    );
    expectValidMessage(msg);
    expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(blockTextLength(msg.blocks)).toBeLessThanOrEqual(LIMITS.messageBlockText);
    expect(msg.text.length).toBeLessThanOrEqual(MAX_FALLBACK_TEXT);
    for (const b of msg.blocks) if (b.type === 'section') expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(sectionText(msg.blocks, 'alert_sessions')).toMatch(/…and 39\d more logins$/);

    const remove = buttons(msg.blocks)[0];
    expect(remove?.action_id).toBe(ALERT_ACTIONS.removeSessions);
    expect(remove?.value?.length ?? 0).toBeLessThanOrEqual(MAX_BUTTON_VALUE_LENGTH);
    const value = decodeAlertRemoveValue(remove?.value);
    expect(isAlertKeyValue(value)).toBe(true);
    expect(value).toEqual({ u: USER_ID, k: finding().key });
    expect(contextText(msg.blocks, 'alert_meta')).toContain('_Remove these sessions_ covers all 400 sessions of this alert, including those not listed.');
  });

  it('carries up to the maximum number of ids in the value, and the key beyond it', () => {
    const sessions = (n: number): Session[] => Array.from({ length: n }, (_, i) => makeSession(i + 1));
    const atMax = decodeAlertRemoveValue(buttons(alertMessage(input({ sessions: sessions(MAX_ALERT_SESSION_IDS) })).blocks)[0]?.value);
    expect(isAlertSessionsValue(atMax) && atMax.ss).toEqual(sessions(MAX_ALERT_SESSION_IDS).map((s) => s.id));
    const over = decodeAlertRemoveValue(buttons(alertMessage(input({ sessions: sessions(MAX_ALERT_SESSION_IDS + 1) })).blocks)[0]?.value);
    expect(over).toEqual({ u: USER_ID, k: finding().key });
  });

  it('drops the Remove button, saying why, when even the alert key is too long for a value', () => {
    const ids = Array.from({ length: 120 }, (_, i) => sessionId(i + 1));
    const longKey = `failed-then-success:${USER_ID}:${ids.join(',')}`;
    const msg = alertMessage(input({ finding: finding({ key: longKey, sessionIds: ids }), sessions: ids.map((_, i) => makeSession(i + 1)) }));
    expectValidMessage(msg);
    expect(buttons(msg.blocks).map((b) => b.action_id)).toEqual([ACTIONS.contain, ACTIONS.history, ACTIONS.pickUser, INVESTIGATE_ACTIONS.session]);
    expect(contextText(msg.blocks, 'alert_meta')).toContain('Too many sessions for one button: use _Show sessions_ to remove them.');
  });
});

describe('alert Remove button values', () => {
  it('round-trips both shapes', () => {
    for (const v of [
      { u: USER_ID, ss: [sessionId(1), sessionId(2)] },
      { u: USER_ID, k: `new-country:${USER_ID}:0Ya000000000000001` },
    ]) {
      expect(decodeAlertRemoveValue(encodeAlertRemoveValue(v))).toEqual(v);
    }
  });

  it('refuses to encode a value Slack would reject', () => {
    expect(() => encodeAlertRemoveValue({ u: USER_ID, k: 'x'.repeat(MAX_BUTTON_VALUE_LENGTH) })).toThrow('Slack allows 2000');
  });

  it.each([
    ['not json', '{u:'],
    ['no sessions', `{"u":"${USER_ID}","ss":[]}`],
    ['too many sessions', JSON.stringify({ u: USER_ID, ss: Array.from({ length: MAX_ALERT_SESSION_IDS + 1 }, (_, i) => sessionId(i)) })],
    ['duplicate sessions', JSON.stringify({ u: USER_ID, ss: [sessionId(1), sessionId(1)] })],
    ['injected session id', JSON.stringify({ u: USER_ID, ss: ["0Ak' OR Id != null"] })],
    ['sessions not a list', JSON.stringify({ u: USER_ID, ss: sessionId(1) })],
    ['key of another user', JSON.stringify({ u: USER_ID, k: 'new-country:005000000000002AAA:0Ya1' })],
    ['key with spaces', JSON.stringify({ u: USER_ID, k: `new-country:${USER_ID}:a b` })],
    ['both shapes', JSON.stringify({ u: USER_ID, ss: [sessionId(1)], k: `x:${USER_ID}:y` })],
    ['a plain user value', JSON.stringify({ u: USER_ID })],
    ['missing user', JSON.stringify({ ss: [sessionId(1)] })],
  ])('rejects %s', (_name, text) => {
    expect(decodeAlertRemoveValue(text)).toBeNull();
  });
});

describe('budgetNotice', () => {
  it('words each state in one line with the usage', () => {
    const stretched = budgetNotice('stretched', { used: 82_000, limit: 100_000 });
    const paused = budgetNotice('paused', { used: 91_500, limit: 100_000 });
    const normal = budgetNotice('normal', { used: 40_000, limit: 100_000 });
    for (const m of [stretched, paused, normal]) {
      expectValidMessage(m);
      expect(m.blocks).toHaveLength(1);
      expect(m.text).not.toContain('\n');
    }
    expect(stretched.text).toBe(
      ":hourglass_flowing_sand: The org's Salesforce API allowance is running low (82,000 of 100,000 daily API calls used, 18 % left): the alert monitor now polls less often.",
    );
    expect(paused.text).toBe(
      ":double_vertical_bar: The org's Salesforce API allowance is nearly spent (91,500 of 100,000 daily API calls used, 8 % left): the alert monitor has paused; no new alerts until it resumes.",
    );
    expect(normal.text).toBe(
      ":arrow_forward: The org's Salesforce API allowance has recovered (40,000 of 100,000 daily API calls used, 60 % left): the alert monitor polls at its usual pace again.",
    );
  });

  it('never shows a negative share, and says when the allowance is unknown', () => {
    expect(budgetNotice('paused', { used: 120_000, limit: 100_000 }).text).toContain('120,000 of 100,000 daily API calls used, 0 % left');
    expect(budgetNotice('paused', { used: 5, limit: 0 }).text).toContain('(the daily API allowance is unknown)');
  });
});
