import { buildEvidencePack, stripSecrets } from '../../src/requests/evidence-pack';
import type { ActionRequest } from '../../src/domain/requests';
import { auditHash, GENESIS_HASH, type AuditEntry, type ChainVerification } from '../../src/store';

const T0 = new Date('2026-11-26T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/**
 * Params are loose here on purpose: typed params cannot carry a secret-named key or a hostile
 * session id, but the pack must strip and quote them anyway, so the cast below lets them in.
 */
function request(overrides: Partial<Omit<ActionRequest, 'kind' | 'params'>> & { params?: Record<string, unknown> } = {}): ActionRequest {
  return {
    id: 'RABCDEFGH23',
    kind: 'contain',
    state: 'done',
    target: { userId: '005000000000003AAA', username: 'bob@acme.com', name: 'Bob | Baker', email: 'bob@acme.com' },
    params: { resetPassword: true, deleteToken: 'DT-must-not-appear' },
    reason: 'Moscow and San Francisco at once\n# not a heading\nuser confirms no travel',
    requestedBy: 'U0ADMIN01',
    requiredApprovals: 1,
    approvals: [{ userId: 'U0APPROV1', at: at(2) }],
    decidedBy: 'U0APPROV1',
    channelId: 'C0SECURITY',
    messageTs: '1764151200.000100',
    evidence: {
      capturedAt: T0.toISOString(),
      user: { id: '005000000000003AAA', username: 'bob@acme.com', name: 'Bob | Baker', isActive: true, isFrozen: false, profile: 'Standard User' },
      sessions: 4,
      families: 2,
      countries: ['RU', 'US'],
      findings: ['another session from Moscow, RU — 9,400 km away'],
      snapshot: [
        { id: '0Ak000000000001AAA', type: 'UI', ip: '198.51.100.23', place: 'Moscow | RU', createdAt: at(-30).toISOString(), children: 3 },
        { id: '0Ak000000000002AAA', type: 'Content', ip: null, place: null, createdAt: at(-10).toISOString(), children: 0 },
      ],
      logins: [{ at: at(-31).toISOString(), status: 'Invalid Password', ip: '198.51.100.23', place: 'Moscow, RU' }],
    },
    result: { steps: [], executedAt: at(3).toISOString() },
    createdAt: T0,
    updatedAt: at(3),
    expiresAt: at(60),
    verifyDueAt: at(33),
    verifiedAt: at(33),
    version: 7,
    ...overrides,
  } as ActionRequest;
}

/** A real chain, hashed as the store hashes it; `otherFirst` puts another request's entry in between. */
function chain(rows: { actor: string; event: string; detail: unknown; minutes: number }[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  rows.forEach((r, i) => {
    const fields = {
      seq: i + 1,
      at: at(r.minutes).toISOString(),
      requestId: 'RABCDEFGH23',
      targetUserId: '005000000000003AAA',
      actor: r.actor,
      event: r.event,
      detail: r.detail,
      prevHash,
    };
    const hash = auditHash(fields);
    out.push({ ...fields, at: at(r.minutes), hash });
    prevHash = hash;
  });
  return out;
}

const AUDIT = chain([
  { actor: 'U0ADMIN01', event: 'requested', detail: { kind: 'contain', params: { resetPassword: true }, reason: 'x', evidence: { sessions: 4 } }, minutes: 0 },
  { actor: 'U0APPROV1', event: 'approved', detail: { approvals: 1, required: 1 }, minutes: 2 },
  { actor: 'system', event: 'executing', detail: null, minutes: 2 },
  {
    actor: 'system',
    event: 'step',
    detail: { step: 'freeze', status: 'ok', summary: 'User frozen.', apiCalls: 2, answer: { kind: 'freeze', frozen: true, changed: true } },
    minutes: 2,
  },
  {
    actor: 'system',
    event: 'step',
    detail: {
      step: 'remove-all',
      status: 'partial',
      summary: 'Ended 3 | 4 sessions.',
      apiCalls: 3,
      answer: { kind: 'remove-all', ended: 3, failed: [{ id: '0Ak000000000002AAA', code: 'ENTITY_IS_DELETED', access_token: 'AT-must-not-appear' }] },
    },
    minutes: 3,
  },
  {
    actor: 'system',
    event: 'verified',
    detail: { when: 'immediate', ok: true, summary: 'Verified in Salesforce: the action took effect.', detail: { stillOpen: [] } },
    minutes: 3,
  },
  {
    actor: 'system',
    event: 'verified',
    detail: { when: 'delayed', ok: false, summary: 'Not fully in effect.', alerts: ['new session from 198.51.100.23'], detail: null },
    minutes: 33,
  },
]);
const INTACT: ChainVerification = { ok: true, checked: 7 };

describe('buildEvidencePack JSON', () => {
  const { json } = buildEvidencePack({ request: request(), audit: AUDIT, chain: INTACT, generatedAt: at(40) });

  it('carries the request as it stands', () => {
    expect(json.generatedAt).toBe('2026-11-26T10:40:00.000Z');
    expect(json.request).toEqual({
      id: 'RABCDEFGH23',
      kind: 'contain',
      state: 'done',
      target: { userId: '005000000000003AAA', username: 'bob@acme.com', name: 'Bob | Baker', email: 'bob@acme.com' },
      params: { resetPassword: true },
      reason: 'Moscow and San Francisco at once\n# not a heading\nuser confirms no travel',
      requestedBy: 'U0ADMIN01',
      requiredApprovals: 1,
      approvals: [{ userId: 'U0APPROV1', at: '2026-11-26T10:02:00.000Z' }],
      decidedBy: 'U0APPROV1',
      createdAt: '2026-11-26T10:00:00.000Z',
      expiresAt: '2026-11-26T11:00:00.000Z',
      channelId: 'C0SECURITY',
      messageTs: '1764151200.000100',
      executedAt: '2026-11-26T10:03:00.000Z',
      reconciled: null,
    });
    expect(json.evidence).toEqual(request().evidence);
  });

  it('separates decisions, steps and verifications from the audit rows', () => {
    expect(json.decisions.map((d) => [d.seq, d.event, d.actor, d.at])).toEqual([
      [1, 'requested', 'U0ADMIN01', '2026-11-26T10:00:00.000Z'],
      [2, 'approved', 'U0APPROV1', '2026-11-26T10:02:00.000Z'],
    ]);
    expect(json.steps).toEqual([
      {
        seq: 4,
        at: '2026-11-26T10:02:00.000Z',
        step: 'freeze',
        status: 'ok',
        summary: 'User frozen.',
        apiCalls: 2,
        answer: { kind: 'freeze', frozen: true, changed: true },
      },
      {
        seq: 5,
        at: '2026-11-26T10:03:00.000Z',
        step: 'remove-all',
        status: 'partial',
        summary: 'Ended 3 | 4 sessions.',
        apiCalls: 3,
        answer: { kind: 'remove-all', ended: 3, failed: [{ id: '0Ak000000000002AAA', code: 'ENTITY_IS_DELETED' }] },
      },
    ]);
    expect(json.verification.map((v) => [v.when, v.ok, v.alerts])).toEqual([
      ['immediate', true, []],
      ['delayed', false, ['new session from 198.51.100.23']],
    ]);
    expect(json.chain).toEqual(INTACT);
  });

  it('lets an auditor recompute every unredacted row hash from the pack alone', () => {
    expect(json.audit.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const e of json.audit) {
      const { hash, detailRedacted, ...fields } = e;
      if (detailRedacted) continue;
      expect(auditHash(fields)).toBe(hash);
    }
    expect(json.audit[1]?.prevHash).toBe(json.audit[0]?.hash);
    // The step whose answer held a token is flagged, not silently unverifiable.
    expect(json.audit.filter((e) => e.detailRedacted).map((e) => e.seq)).toEqual([5]);
    expect(json.hashRecipe).toContain('SHA-256');
  });

  it('keeps no credential anywhere, but keeps flags that merely name one', () => {
    const text = JSON.stringify(json);
    expect(text).not.toContain('must-not-appear');
    expect(text).not.toMatch(/deleteToken|access_token/);
    expect(json.request.params).toEqual({ resetPassword: true });
  });
});

describe('buildEvidencePack Markdown', () => {
  const { markdown } = buildEvidencePack({ request: request(), audit: AUDIT, chain: INTACT, generatedAt: at(40) });

  it('has the sections in reading order', () => {
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Request',
      '## Evidence at request time',
      '## Decisions',
      '## Execution',
      '## Verification',
      '## Ways back in',
      '## Audit trail',
      '## Chain integrity',
    ]);
    expect(markdown.startsWith('# Evidence pack: request RABCDEFGH23\n')).toBe(true);
  });

  it('describes the request, evidence and decisions', () => {
    expect(markdown).toContain('- Target: Bob \\| Baker (bob@acme.com), Salesforce user 005000000000003AAA');
    expect(markdown).toContain('- Parameters: `{"resetPassword":true}`');
    expect(markdown).toContain('- Approvals: 1 of 1 required (U0APPROV1 at 2026-11-26T10:02:00.000Z)');
    expect(markdown).toContain('- Slack message: channel C0SECURITY, ts 1764151200.000100');
    // Each reason line stays quoted; a leading # cannot become a heading.
    expect(markdown).toContain('> Moscow and San Francisco at once\n> \\# not a heading\n> user confirms no travel');
    expect(markdown).toContain('- User: Bob \\| Baker (bob@acme.com): active, not frozen, profile Standard User');
    expect(markdown).toContain('- Sessions: 4 in 2 login families; countries: RU, US');
    expect(markdown).toContain('| 0Ak000000000001AAA | UI | 198.51.100.23 | Moscow \\| RU | 2026-11-26 09:30:00 | 3 |');
    expect(markdown).toContain('| 0Ak000000000002AAA | Content | — | — | 2026-11-26 09:50:00 | 0 |');
    expect(markdown).toContain('| 2026-11-26 09:29:00 | Invalid Password | 198.51.100.23 | Moscow, RU |');
    expect(markdown).toContain('- 2026-11-26 10:02:00 UTC: approved by U0APPROV1 (approval 1 of 1)');
  });

  it('gives one line per step with its status and Salesforce answer, then the verifications', () => {
    const steps = markdown.split('\n').filter((l) => l.includes('Salesforce answer:'));
    expect(steps).toEqual([
      '- 2026-11-26 10:02:00 UTC **freeze**: OK — User frozen. (2 API calls); Salesforce answer: `{"kind":"freeze","frozen":true,"changed":true}`',
      '- 2026-11-26 10:03:00 UTC **remove-all**: PARTIAL — Ended 3 \\| 4 sessions. (3 API calls); Salesforce answer: `{"kind":"remove-all","ended":3,"failed":[{"id":"0Ak000000000002AAA","code":"ENTITY_IS_DELETED"}]}`',
    ]);
    expect(markdown).toContain('- Immediate check at 2026-11-26 10:03:00 UTC: OK — Verified in Salesforce: the action took effect.');
    expect(markdown).toContain('- Delayed re-check at 2026-11-26 10:33:00 UTC: NOT OK — Not fully in effect.\n  - Alert: new session from 198.51.100.23');
  });

  it('tabulates the audit rows with hash prefixes and states the chain verdict', () => {
    const rows = markdown.split('\n').filter((l) => /^\| \d+ \| 2026/.test(l));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toBe(`| 1 | 2026-11-26 10:00:00 | U0ADMIN01 | requested | \`${AUDIT[0]?.hash.slice(0, 12)}…\` |`);
    expect(rows[4]).toContain('| step (detail redacted) |');
    expect(markdown).toContain('Intact: all 7 entries of the whole audit log verify');
    expect(markdown).toContain('Credential-like fields were removed from the detail of entries 5');
    expect(markdown).not.toContain('must-not-appear');
  });

  it('names the entries of this request that a broken chain makes untrustworthy', () => {
    const broken: ChainVerification = { ok: false, checked: 3, brokenAt: 4, reason: 'entry 4 content does not match its hash' };
    const { markdown: md, json } = buildEvidencePack({ request: request(), audit: AUDIT, chain: broken, generatedAt: at(40) });
    expect(json.chain).toEqual(broken);
    expect(md).toContain('**BROKEN at entry 4**: entry 4 content does not match its hash (3 entries checked before it).');
    expect(md).toContain('Entries of this request that cannot be trusted (at or after the break): 4, 5, 6, 7.');
  });

  it('keeps code spans intact when a value contains backticks or pipes', () => {
    const { markdown: md } = buildEvidencePack({
      request: request({ params: { sessionIds: ['a`b|c'] } }),
      audit: [],
      chain: { ok: true, checked: 0 },
      generatedAt: at(40),
    });
    expect(md).toContain('- Parameters: ``{"sessionIds":["a`b|c"]}``');
  });

  it('says plainly when nothing was decided, executed, verified or stored', () => {
    const { markdown: md, json } = buildEvidencePack({
      request: request({ state: 'pending', approvals: [], decidedBy: null, channelId: null, messageTs: null, evidence: null, result: null }),
      audit: [],
      chain: { ok: true, checked: 0 },
      generatedAt: at(40),
    });
    expect(json.request.executedAt).toBeNull();
    expect(md).toContain('No evidence was stored with this request.');
    expect(md).toContain('None recorded in the audit trail.');
    expect(md).toContain('Nothing was executed.');
    expect(md).toContain('No verification recorded.');
    expect(md).toContain('No audit entries for this request.');
    expect(md).toContain('- Decided by: nobody yet');
    expect(md).toContain('- Slack message: none recorded');
  });
});

describe('stripSecrets', () => {
  it('drops credential-named keys at any depth and counts them', () => {
    const input = {
      NewPassword: 'p1',
      client_secret: 's1',
      nested: [{ deleteToken: 't1', id: 'keep' }, { deep: { Authorization: 'Bearer x', refreshTokens: ['r'] } }],
      tokenCount: 3,
      resetPassword: true,
      password: null,
    };
    const { value, removed } = stripSecrets(input);
    expect(value).toEqual({ nested: [{ id: 'keep' }, { deep: {} }], tokenCount: 3, resetPassword: true, password: null });
    expect(removed).toBe(5);
  });
});

describe('buildEvidencePack: ways back in', () => {
  const detail = {
    window: { from: at(-30).toISOString(), to: at(3).toISOString(), sessionIds: ['0Ak000000000001AAA'], sourceIps: ['198.51.100.23'] },
    items: [
      {
        cls: 'permission-assigned',
        label: 'Permission set or group assigned',
        what: 'Permission set Ops | Admin: assigned',
        at: at(-20).toISOString(),
        advice: 'Remove it.',
        remedy: null,
        unconfirmed: false,
      },
      {
        cls: 'named-credential',
        label: 'Named or external credential changed',
        what: 'URL changed',
        at: at(-10).toISOString(),
        advice: 'Check it.',
        remedy: null,
        unconfirmed: true,
      },
    ],
    unknown: ['OAuth grants: could not be read (OauthToken needs Customize Application).'],
    setupChanges: [
      { at: at(-20).toISOString(), action: 'PermSetAssign', section: 'Manage Users', display: 'Permission set Ops | Admin: assigned', delegateUser: null },
      { at: at(-15).toISOString(), action: 'changedcommunitynickname', section: 'Manage Users', display: 'Changed nickname', delegateUser: 'admin@acme.com' },
    ],
    verifications: { unknown: 'Verification History is hidden from the bot' },
    calls: 2,
  };
  const audit = chain([
    { actor: 'U0ADMIN01', event: 'requested', detail: {}, minutes: 0 },
    { actor: 'system', event: 'ways-back-in', detail, minutes: 3 },
  ]);
  const { json, markdown } = buildEvidencePack({ request: request(), audit, chain: INTACT, generatedAt: at(40) });

  it('carries the latest list in the JSON, and says what could not be read', () => {
    expect(json.waysBackIn).toEqual({
      seq: 2,
      at: at(3).toISOString(),
      window: { from: at(-30).toISOString(), to: at(3).toISOString() },
      items: [
        {
          label: 'Permission set or group assigned',
          what: 'Permission set Ops | Admin: assigned',
          at: at(-20).toISOString(),
          advice: 'Remove it.',
          unconfirmed: false,
        },
        { label: 'Named or external credential changed', what: 'URL changed', at: at(-10).toISOString(), advice: 'Check it.', unconfirmed: true },
      ],
      unknown: ['OAuth grants: could not be read (OauthToken needs Customize Application).'],
      setupChanges: [
        { at: at(-20).toISOString(), action: 'PermSetAssign', section: 'Manage Users', display: 'Permission set Ops | Admin: assigned', delegateUser: null },
        { at: at(-15).toISOString(), action: 'changedcommunitynickname', section: 'Manage Users', display: 'Changed nickname', delegateUser: 'admin@acme.com' },
      ],
      verifications: { unknown: 'Verification History is hidden from the bot' },
    });
  });

  it('carries every Setup change of the sessions, a Login-As named, and says what is unknown', () => {
    const did = markdown.slice(markdown.indexOf('### What the sessions did'), markdown.indexOf('## Audit trail'));
    expect(did).toContain('`changedcommunitynickname` [Manage Users]: Changed nickname (through Login-As by admin@acme.com)');
    expect(did).toContain('### MFA prompts around the logins\n\nUnknown: Verification History is hidden from the bot');
  });

  it('lists each way back in with its advice in the Markdown, escaped, and the unknown sources', () => {
    const section = markdown.slice(markdown.indexOf('## Ways back in'), markdown.indexOf('## Audit trail'));
    expect(section).toContain('**Permission set or group assigned**');
    expect(section).toContain('(audit code not confirmed)');
    expect(section).toContain('Unknown: OAuth grants: could not be read');
    expect(section).not.toContain('Ops | Admin');
  });

  it('says when none was recorded', () => {
    const none = buildEvidencePack({ request: request(), audit: AUDIT, chain: INTACT, generatedAt: at(40) });
    expect(none.json.waysBackIn).toBeNull();
    expect(none.markdown).toContain('Not listed for this request');
  });
});
