import type { AuditEntry, ChainVerification } from '../store/audit-store';
import type { Evidence } from './evidence';
import type { ActionRequest } from '../domain/requests';

/**
 * The evidence pack for one request: everything an auditor needs to judge it without the bot —
 * the request, what the requester saw, the decisions, each step's API answer, the verifications,
 * and the audit rows with every hashed field, so each row's hash can be recomputed independently.
 */
export interface EvidencePackJson {
  format: 'session-warden/evidence-pack@1';
  generatedAt: string;
  request: {
    id: string;
    kind: string;
    state: string;
    target: ActionRequest['target'];
    params: unknown;
    reason: string;
    requestedBy: string;
    requiredApprovals: number;
    approvals: { userId: string; at: string }[];
    decidedBy: string | null;
    createdAt: string;
    expiresAt: string;
    channelId: string | null;
    messageTs: string | null;
    /** From the stored result: when execution finished, and whether crash recovery finished it. */
    executedAt: string | null;
    reconciled: string | null;
  };
  /** As stored with the request (sessions snapshot, recent logins, findings). */
  evidence: unknown;
  decisions: { seq: number; at: string; actor: string; event: string; detail: unknown }[];
  steps: { seq: number; at: string; step: string; status: string; summary: string; apiCalls: number | null; answer: unknown }[];
  verification: { seq: number; at: string; when: string; ok: boolean | null; summary: string; alerts: string[]; detail: unknown }[];
  audit: PackAuditEntry[];
  /**
   * What the ended sessions changed that could let the attacker back in, as listed in the thread
   * when the request finished (the latest 'ways-back-in' audit row); null when none was recorded.
   */
  waysBackIn: PackWaysBackIn | null;
  chain: ChainVerification;
  hashRecipe: string;
}

export interface PackWaysBackIn {
  seq: number;
  at: string;
  window: { from: string; to: string };
  items: { label: string; what: string; at: string | null; advice: string; unconfirmed: boolean }[];
  /** Sources the bot could not read, with their cause: the list is incomplete, not empty. */
  unknown: string[];
  /** What the sessions did: every Setup change of the user in the window, or why it is unknown. */
  setupChanges: { at: string; action: string; section: string | null; display: string | null; delegateUser: string | null }[] | { unknown: string };
  /** MFA prompts around the ended sessions' logins, or why they are unknown. */
  verifications: { at: string; activity: string | null; method: string | null; status: string | null; sourceIp: string | null }[] | { unknown: string };
}

/** An audit row as the pack carries it: every hashed field, with the time as ISO text. */
export type PackAuditEntry = Omit<AuditEntry, 'at'> & {
  at: string;
  /** Set when a credential-like key was dropped from `detail`: this row's hash cannot be recomputed from the pack. */
  detailRedacted?: true;
};

export interface EvidencePackInput {
  request: ActionRequest;
  audit: AuditEntry[];
  chain: ChainVerification;
  generatedAt: Date;
}

// Kept in step with auditHash() in src/store/audit-store.ts; an auditor follows this text, not our code.
const HASH_RECIPE =
  'hash = lowercase hex SHA-256 of the canonical JSON (object keys sorted at every level, no whitespace) of ' +
  '{seq, at, requestId, targetUserId, actor, event, detail, prevHash}; prevHash is the hash of the entry with seq - 1 ' +
  '(64 zeros for seq 1). Entries of one request are not consecutive in the log, so compare prevHash only across the whole log.';

const DECISION_EVENTS = new Set(['requested', 'approved', 'denied', 'expired']);

/**
 * Names that hold credentials end in one of these (deleteToken, access_token, clientSecret,
 * NewPassword…). Matching the end, not anywhere, keeps facts like `tokenCount`.
 */
const SECRET_NAME = /(tokens?|passwords?|passwd|secrets?|assertion|authorization|privatekey|privatekeypem|apikey|credentials?)$/;

function isSecretKey(key: string, value: unknown): boolean {
  // A flag such as `resetPassword: true` says what was done and carries no credential.
  if (typeof value === 'boolean' || value === null) return false;
  return SECRET_NAME.test(key.toLowerCase().replace(/[^a-z]/g, ''));
}

/** Copies `value` without credential-like keys at any depth; `removed` counts what was dropped. */
export function stripSecrets(value: unknown): { value: unknown; removed: number } {
  let removed = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Date) return v.toISOString();
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        if (isSecretKey(k, inner)) removed++;
        else out[k] = walk(inner);
      }
      return out;
    }
    return v;
  };
  const result = walk(value);
  return { value: result, removed };
}

const clean = (v: unknown): unknown => stripSecrets(v).value;
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function buildEvidencePack(input: EvidencePackInput): { json: EvidencePackJson; markdown: string } {
  const json = packJson(input);
  return { json, markdown: packMarkdown(json) };
}

function packJson({ request: r, audit, chain, generatedAt }: EvidencePackInput): EvidencePackJson {
  const result = obj(r.result);
  const mine = [...audit].sort((a, b) => a.seq - b.seq);
  return {
    format: 'session-warden/evidence-pack@1',
    generatedAt: generatedAt.toISOString(),
    request: {
      id: r.id,
      kind: r.kind,
      state: r.state,
      target: { userId: r.target.userId, username: r.target.username, name: r.target.name, email: r.target.email },
      params: clean(r.params),
      reason: r.reason,
      requestedBy: r.requestedBy,
      requiredApprovals: r.requiredApprovals,
      approvals: r.approvals.map((a) => ({ userId: a.userId, at: a.at.toISOString() })),
      decidedBy: r.decidedBy,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      channelId: r.channelId,
      messageTs: r.messageTs,
      executedAt: typeof result.executedAt === 'string' ? result.executedAt : null,
      reconciled: typeof result.reconciled === 'string' ? result.reconciled : null,
    },
    evidence: clean(r.evidence),
    decisions: mine
      .filter((e) => DECISION_EVENTS.has(e.event))
      // The 'requested' row repeats params and the whole evidence snapshot, which have their own sections.
      .map((e) => ({ seq: e.seq, at: e.at.toISOString(), actor: e.actor, event: e.event, detail: e.event === 'requested' ? null : clean(e.detail) })),
    steps: mine
      .filter((e) => e.event === 'step')
      .map((e) => {
        const d = obj(e.detail);
        return {
          seq: e.seq,
          at: e.at.toISOString(),
          step: str(d.step),
          status: str(d.status),
          summary: str(d.summary),
          apiCalls: typeof d.apiCalls === 'number' ? d.apiCalls : null,
          answer: clean(d.answer ?? null),
        };
      }),
    verification: mine
      .filter((e) => e.event === 'verified')
      .map((e) => {
        const d = obj(e.detail);
        return {
          seq: e.seq,
          at: e.at.toISOString(),
          when: str(d.when),
          ok: typeof d.ok === 'boolean' ? d.ok : null,
          summary: str(d.summary),
          alerts: list(d.alerts).filter((a): a is string => typeof a === 'string'),
          detail: clean(d.detail ?? null),
        };
      }),
    audit: mine.map((e) => {
      const { value: detail, removed } = stripSecrets(e.detail);
      return {
        seq: e.seq,
        at: e.at.toISOString(),
        requestId: e.requestId,
        targetUserId: e.targetUserId,
        actor: e.actor,
        event: e.event,
        detail,
        prevHash: e.prevHash,
        hash: e.hash,
        ...(removed > 0 ? { detailRedacted: true as const } : {}),
      };
    }),
    waysBackIn: waysBackInOf(mine),
    chain,
    hashRecipe: HASH_RECIPE,
  };
}

function waysBackInOf(entries: readonly AuditEntry[]): PackWaysBackIn | null {
  const last = [...entries].reverse().find((e) => e.event === 'ways-back-in');
  if (!last) return null;
  const d = obj(last.detail);
  const w = obj(d.window);
  return {
    seq: last.seq,
    at: last.at.toISOString(),
    window: { from: str(w.from), to: str(w.to) },
    items: list(d.items).map((raw) => {
      const i = obj(raw);
      return { label: str(i.label), what: str(i.what), at: typeof i.at === 'string' ? i.at : null, advice: str(i.advice), unconfirmed: i.unconfirmed === true };
    }),
    unknown: list(d.unknown).filter((u): u is string => typeof u === 'string'),
    setupChanges: Array.isArray(d.setupChanges)
      ? d.setupChanges.map((raw) => {
          const c = obj(raw);
          return { at: str(c.at), action: str(c.action), section: nullable(c.section), display: nullable(c.display), delegateUser: nullable(c.delegateUser) };
        })
      : { unknown: str(obj(d.setupChanges).unknown) || 'not recorded' },
    verifications: Array.isArray(d.verifications)
      ? d.verifications.map((raw) => {
          const v = obj(raw);
          return { at: str(v.at), activity: nullable(v.activity), method: nullable(v.method), status: nullable(v.status), sourceIp: nullable(v.sourceIp) };
        })
      : { unknown: str(obj(d.verifications).unknown) || 'not recorded' },
  };
}

const nullable = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// ---- Markdown ---------------------------------------------------------------------------------

/** Text from people or Salesforce, on one line, unable to turn into markup, links, HTML or table columns. */
function inline(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}

/** An inline code span whose fence is longer than any backtick run inside it (CommonMark). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\r?\n|\r/g, ' ')}${pad}${fence}`;
}

/** Inside a table, a pipe ends the cell even within a code span, so it is escaped there too. */
function codeCell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

function quote(text: string): string[] {
  return text.split(/\r?\n|\r/).map((line) => (line.trim() === '' ? '>' : `> ${inline(line).replace(/^(\s*)([#>+-]|\d+[.)])/, '$1\\$2')}`));
}

/** 2026-11-26T10:00:00.000Z → 2026-11-26 10:00:00 (the table header says UTC). */
function utc(iso: string): string {
  return iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

const MAX_ANSWER = 400;
function compactJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER)}… (full answer in the JSON file)` : text;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function packMarkdown(p: EvidencePackJson): string {
  const r = p.request;
  const lines: string[] = [
    `# Evidence pack: request ${inline(r.id)}`,
    '',
    `Generated ${p.generatedAt}. All times are UTC. The JSON file next to this one holds the same facts in full.`,
    '',
    ...requestSection(p),
    ...evidenceSection(p.evidence),
    ...decisionsSection(p),
    ...executionSection(p),
    ...verificationSection(p),
    ...waysBackInSection(p),
    ...auditSection(p),
    ...chainSection(p),
  ];
  return `${lines.join('\n')}\n`;
}

function requestSection(p: EvidencePackJson): string[] {
  const r = p.request;
  const approvals = r.approvals.map((a) => `${inline(a.userId)} at ${a.at}`).join(', ');
  const lines = [
    '## Request',
    '',
    `- Id: ${inline(r.id)}`,
    `- Action: ${inline(r.kind)}`,
    `- State: ${inline(r.state)}`,
    `- Target: ${inline(r.target.name)} (${inline(r.target.username)}), Salesforce user ${inline(r.target.userId)}${r.target.email ? `, ${inline(r.target.email)}` : ''}`,
    `- Parameters: ${code(JSON.stringify(r.params) ?? 'null')}`,
    `- Requested by: ${inline(r.requestedBy)} at ${r.createdAt}`,
    `- Expires: ${r.expiresAt}`,
    `- Approvals: ${r.approvals.length} of ${r.requiredApprovals} required${approvals ? ` (${approvals})` : ''}`,
    `- Decided by: ${r.decidedBy ? inline(r.decidedBy) : 'nobody yet'}`,
    `- Slack message: ${r.channelId && r.messageTs ? `channel ${inline(r.channelId)}, ts ${inline(r.messageTs)}` : 'none recorded'}`,
  ];
  if (r.executedAt) lines.push(`- Executed: ${inline(r.executedAt)}${r.reconciled ? ` (finished by crash recovery: ${inline(r.reconciled)})` : ''}`);
  lines.push('', 'Reason given:', '', ...quote(r.reason || '(none)'), '');
  return lines;
}

function evidenceSection(stored: unknown): string[] {
  const lines = ['## Evidence at request time', ''];
  if (stored === null || typeof stored !== 'object') return [...lines, 'No evidence was stored with this request.', ''];
  // Shape written by buildEvidence(); read defensively because rows outlive code versions.
  const ev = stored as Partial<Record<keyof Evidence, unknown>>;
  const user = obj(ev.user);
  if (typeof ev.capturedAt === 'string') lines.push(`- Captured: ${inline(ev.capturedAt)}`);
  if (Object.keys(user).length) {
    const state = [
      user.isActive === false ? 'inactive' : user.isActive === true ? 'active' : null,
      user.isFrozen === true ? 'frozen' : user.isFrozen === false ? 'not frozen' : null,
      typeof user.profile === 'string' ? `profile ${inline(user.profile)}` : null,
    ].filter((s): s is string => s !== null);
    lines.push(`- User: ${inline(str(user.name))} (${inline(str(user.username))})${state.length ? `: ${state.join(', ')}` : ''}`);
  }
  const countries = list(ev.countries).map(str).filter(Boolean);
  lines.push(
    `- Sessions: ${str(ev.sessions) || '?'} in ${str(ev.families) || '?'} login families; countries: ${countries.length ? inline(countries.join(', ')) : 'none known'}`,
  );
  const findings = list(ev.findings).map(str).filter(Boolean);
  lines.push(findings.length ? '- Findings:' : '- Findings: none');
  for (const f of findings) lines.push(`  - ${inline(f)}`);

  const snapshot = list(ev.snapshot).map(obj);
  lines.push('', '### Sessions (login families) at request time', '');
  if (snapshot.length === 0) lines.push('None recorded.');
  else {
    lines.push(row(['session', 'type', 'IP', 'place', 'created (UTC)', 'child sessions']), row(['---', '---', '---', '---', '---', '---:']));
    for (const s of snapshot) {
      lines.push(
        row([inline(str(s.id)), inline(str(s.type)), inline(str(s.ip)) || '—', inline(str(s.place)) || '—', utc(str(s.createdAt)), str(s.children) || '0']),
      );
    }
  }
  const logins = list(ev.logins).map(obj);
  lines.push('', '### Recent logins (excerpt)', '');
  if (logins.length === 0) lines.push('None recorded.');
  else {
    lines.push(row(['time (UTC)', 'status', 'IP', 'place']), row(['---', '---', '---', '---']));
    for (const l of logins) lines.push(row([utc(str(l.at)), inline(str(l.status)), inline(str(l.ip)) || '—', inline(str(l.place)) || '—']));
  }
  lines.push('');
  return lines;
}

function decisionsSection(p: EvidencePackJson): string[] {
  const lines = ['## Decisions', ''];
  if (p.decisions.length === 0) lines.push('None recorded in the audit trail.');
  for (const d of p.decisions) {
    const detail = obj(d.detail);
    const count =
      d.event === 'approved' && typeof detail.approvals === 'number' && typeof detail.required === 'number'
        ? ` (approval ${detail.approvals} of ${detail.required})`
        : '';
    lines.push(`- ${utc(d.at)} UTC: ${inline(d.event)} by ${inline(d.actor)}${count}`);
  }
  lines.push('');
  return lines;
}

function executionSection(p: EvidencePackJson): string[] {
  const lines = ['## Execution', ''];
  if (p.steps.length === 0) lines.push('Nothing was executed.');
  for (const s of p.steps) {
    const calls = s.apiCalls === null ? '' : ` (${s.apiCalls} API call${s.apiCalls === 1 ? '' : 's'})`;
    lines.push(
      `- ${utc(s.at)} UTC **${inline(s.step)}**: ${inline(s.status.toUpperCase())} — ${inline(s.summary)}${calls}; Salesforce answer: ${code(compactJson(s.answer))}`,
    );
  }
  lines.push('');
  return lines;
}

function waysBackInSection(p: EvidencePackJson): string[] {
  const lines = ['## Ways back in', ''];
  const w = p.waysBackIn;
  if (!w) return [...lines, 'Not listed for this request (only a Contain or a removal of flagged sessions lists them).', ''];
  lines.push(`Listed ${utc(w.at)} UTC (audit row ${w.seq}), for the sessions' window ${utc(w.window.from)} – ${utc(w.window.to)} UTC.`, '');
  if (w.items.length === 0 && w.unknown.length === 0) lines.push('None found.');
  for (const i of w.items) {
    lines.push(
      `- ${i.at ? `${utc(i.at)} UTC ` : ''}**${inline(i.label)}**${i.unconfirmed ? ' (audit code not confirmed)' : ''}: ${inline(i.what)} — ${inline(i.advice)}`,
    );
  }
  for (const u of w.unknown) lines.push(`- Unknown: ${inline(u)}`);
  lines.push('', '### What the sessions did: Setup changes in the window', '');
  if (!Array.isArray(w.setupChanges)) lines.push(`Unknown: ${inline(w.setupChanges.unknown)}`);
  else if (w.setupChanges.length === 0) lines.push('None made from the account.');
  else
    for (const c of w.setupChanges) {
      const via = c.delegateUser ? ` (through Login-As by ${inline(c.delegateUser)})` : '';
      lines.push(`- ${utc(c.at)} UTC ${code(c.action)}${c.section ? ` [${inline(c.section)}]` : ''}: ${inline(c.display ?? '')}${via}`);
    }
  lines.push('', '### MFA prompts around the logins', '');
  if (!Array.isArray(w.verifications)) lines.push(`Unknown: ${inline(w.verifications.unknown)}`);
  else if (w.verifications.length === 0) lines.push('None recorded.');
  else
    for (const v of w.verifications) {
      lines.push(
        `- ${utc(v.at)} UTC ${inline(v.activity ?? '?')} · ${inline(v.method ?? '?')} · ${inline(v.status ?? '?')} · ${inline(v.sourceIp ?? 'IP unknown')}`,
      );
    }
  lines.push('');
  return lines;
}

function verificationSection(p: EvidencePackJson): string[] {
  const lines = ['## Verification', ''];
  if (p.verification.length === 0) lines.push('No verification recorded.');
  for (const v of p.verification) {
    const verdict = v.ok === null ? 'UNKNOWN' : v.ok ? 'OK' : 'NOT OK';
    const when = v.when === 'immediate' ? 'Immediate check' : v.when === 'delayed' ? 'Delayed re-check' : `Check (${inline(v.when || 'unlabelled')})`;
    lines.push(`- ${when} at ${utc(v.at)} UTC: ${verdict} — ${inline(v.summary)}`);
    for (const a of v.alerts) lines.push(`  - Alert: ${inline(a)}`);
  }
  lines.push('');
  return lines;
}

const HASH_PREFIX = 12;

function auditSection(p: EvidencePackJson): string[] {
  const lines = ['## Audit trail', ''];
  if (p.audit.length === 0) return [...lines, 'No audit entries for this request.', ''];
  lines.push(row(['seq', 'time (UTC)', 'actor', 'event', 'hash']), row(['---:', '---', '---', '---', '---']));
  for (const e of p.audit) {
    const event = `${inline(e.event)}${e.detailRedacted ? ' (detail redacted)' : ''}`;
    lines.push(row([String(e.seq), utc(e.at), inline(e.actor), event, codeCell(`${e.hash.slice(0, HASH_PREFIX)}…`)]));
  }
  lines.push('');
  return lines;
}

function chainSection(p: EvidencePackJson): string[] {
  const c = p.chain;
  const lines = ['## Chain integrity', ''];
  if (c.ok) {
    lines.push(`Intact: all ${c.checked} entries of the whole audit log verify, from the first entry to the recorded chain head.`);
  } else {
    lines.push(`**BROKEN at entry ${c.brokenAt}**: ${inline(c.reason)} (${c.checked} entries checked before it).`);
    const affected = p.audit.filter((e) => e.seq >= c.brokenAt).map((e) => e.seq);
    lines.push(
      '',
      affected.length
        ? `Entries of this request that cannot be trusted (at or after the break): ${affected.join(', ')}.`
        : 'All entries of this request come before the break, but nothing after it can be trusted.',
    );
  }
  const redacted = p.audit.filter((e) => e.detailRedacted).map((e) => e.seq);
  lines.push('', `To recompute a hash from the JSON file: ${inline(p.hashRecipe)}`);
  if (redacted.length)
    lines.push('', `Credential-like fields were removed from the detail of entries ${redacted.join(', ')}; their hashes cannot be recomputed from this pack.`);
  lines.push('');
  return lines;
}
