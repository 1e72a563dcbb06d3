import type { AuditEntry, ChainVerification } from '../store/audit-store';
import type { ActionRequest } from './types';

/**
 * The evidence pack for one request: everything an auditor needs to judge it without the bot —
 * the request, the evidence seen when it was asked, the decisions, each step's API answer, the
 * verifications, and the audit rows with their hashes (so the chain can be recomputed).
 */
export interface EvidencePack {
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
    slackMessage: { channel: string; ts: string } | null;
  };
  evidence: unknown;
  decisions: { event: string; actor: string; at: string }[];
  steps: { at: string; step: string; status: string; summary: string; apiCalls: number | null; answer: unknown }[];
  verifications: { at: string; when: string; ok: boolean | null; summary: string; alerts: string[] }[];
  audit: { seq: number; at: string; actor: string; event: string; detail: unknown; prevHash: string; hash: string }[];
  chain: ChainVerification;
}

const DECISIONS = new Set(['requested', 'approved', 'denied', 'expired']);
/** Keys that could hold credentials; dropped wherever they appear, whatever the code upstream did. */
const SECRET_KEY = /token|password|secret|assertion|authorization/i;

export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEY.test(k))
        .map(([k, v]) => [k, withoutSecrets(v)]),
    );
  }
  return value;
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function buildEvidencePack(input: { request: ActionRequest; audit: AuditEntry[]; chain: ChainVerification; generatedAt: Date }): EvidencePack {
  const { request: r, audit } = input;
  const iso = (d: Date) => d.toISOString();
  return {
    generatedAt: iso(input.generatedAt),
    request: {
      id: r.id,
      kind: r.kind,
      state: r.state,
      target: r.target,
      params: withoutSecrets(r.params),
      reason: r.reason,
      requestedBy: r.requestedBy,
      requiredApprovals: r.requiredApprovals,
      approvals: r.approvals.map((a) => ({ userId: a.userId, at: iso(a.at) })),
      decidedBy: r.decidedBy,
      createdAt: iso(r.createdAt),
      expiresAt: iso(r.expiresAt),
      slackMessage: r.channelId && r.messageTs ? { channel: r.channelId, ts: r.messageTs } : null,
    },
    evidence: withoutSecrets(r.evidence),
    decisions: audit.filter((e) => DECISIONS.has(e.event)).map((e) => ({ event: e.event, actor: e.actor, at: iso(e.at) })),
    steps: audit
      .filter((e) => e.event === 'step')
      .map((e) => {
        const d = record(e.detail);
        return {
          at: iso(e.at),
          step: str(d.step),
          status: str(d.status),
          summary: str(d.summary),
          apiCalls: typeof d.apiCalls === 'number' ? d.apiCalls : null,
          answer: withoutSecrets(d.answer),
        };
      }),
    verifications: audit
      .filter((e) => e.event === 'verified')
      .map((e) => {
        const d = record(e.detail);
        return {
          at: iso(e.at),
          when: str(d.when),
          ok: typeof d.ok === 'boolean' ? d.ok : null,
          summary: str(d.summary),
          alerts: Array.isArray(d.alerts) ? d.alerts.filter((a): a is string => typeof a === 'string') : [],
        };
      }),
    audit: audit.map((e) => ({ seq: e.seq, at: iso(e.at), actor: e.actor, event: e.event, detail: withoutSecrets(e.detail), prevHash: e.prevHash, hash: e.hash })),
    chain: input.chain,
  };
}

/** Table cells and inline text: pipes and newlines would break the Markdown table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function evidencePackMarkdown(pack: EvidencePack): string {
  const r = pack.request;
  const ev = record(pack.evidence);
  const lines: string[] = [
    `# Evidence pack: request ${r.id}`,
    '',
    `Generated ${pack.generatedAt}.`,
    '',
    '## Request',
    '',
    `- Action: ${r.kind} (state: ${r.state})`,
    `- Target: ${cell(r.target.name)} (${cell(r.target.username)}), Salesforce id ${r.target.userId}`,
    `- Requested by: ${r.requestedBy} at ${r.createdAt}; expires ${r.expiresAt}`,
    `- Approvals required: ${r.requiredApprovals}; given: ${r.approvals.map((a) => `${a.userId} at ${a.at}`).join(', ') || 'none'}`,
    `- Decided by: ${r.decidedBy ?? '—'}`,
    `- Parameters: \`${JSON.stringify(r.params)}\``,
    '',
    '> ' + r.reason.split(/\r?\n/).join('\n> '),
    '',
    '## Evidence at request time',
    '',
  ];
  if (Object.keys(ev).length === 0) lines.push('No evidence was recorded with this request.', '');
  else {
    lines.push(`- Sessions: ${str(ev.sessions) || '?'} in ${str(ev.families) || '?'} families; countries: ${Array.isArray(ev.countries) ? ev.countries.join(', ') : '—'}`);
    for (const f of Array.isArray(ev.findings) ? ev.findings : []) lines.push(`- Finding: ${cell(str(f))}`);
    const snapshot = Array.isArray(ev.snapshot) ? ev.snapshot.map(record) : [];
    if (snapshot.length) {
      lines.push('', '| session | type | IP | place | created | children |', '|---|---|---|---|---|---|');
      for (const s of snapshot) lines.push(`| ${cell(str(s.id))} | ${cell(str(s.type))} | ${cell(str(s.ip))} | ${cell(str(s.place))} | ${cell(str(s.createdAt))} | ${str(s.children)} |`);
    }
    const logins = Array.isArray(ev.logins) ? ev.logins.map(record) : [];
    if (logins.length) {
      lines.push('', '| login time | status | IP | place |', '|---|---|---|---|');
      for (const l of logins) lines.push(`| ${cell(str(l.at))} | ${cell(str(l.status))} | ${cell(str(l.ip))} | ${cell(str(l.place))} |`);
    }
    lines.push('');
  }
  lines.push('## Decisions', '');
  for (const d of pack.decisions) lines.push(`- ${d.at}: ${d.event} by ${d.actor}`);
  if (!pack.decisions.length) lines.push('None recorded.');
  lines.push('', '## Execution', '');
  for (const s of pack.steps) lines.push(`- ${s.at}: **${s.step}** ${s.status} — ${cell(s.summary)} (${s.apiCalls ?? '?'} API calls); answer: \`${JSON.stringify(s.answer)}\``);
  if (!pack.steps.length) lines.push('Nothing was executed.');
  lines.push('', '## Verification', '');
  for (const v of pack.verifications) {
    lines.push(`- ${v.at} (${v.when || 'check'}): ${v.ok === null ? 'unknown' : v.ok ? 'OK' : 'NOT OK'} — ${cell(v.summary)}`);
    for (const a of v.alerts) lines.push(`  - alert: ${cell(a)}`);
  }
  if (!pack.verifications.length) lines.push('No verification recorded.');
  lines.push('', '## Audit trail', '', '| seq | time (UTC) | actor | event | hash |', '|---|---|---|---|---|');
  for (const e of pack.audit) lines.push(`| ${e.seq} | ${e.at} | ${cell(e.actor)} | ${cell(e.event)} | \`${e.hash.slice(0, 16)}…\` |`);
  lines.push('', '## Chain integrity', '');
  lines.push(
    pack.chain.ok
      ? `The whole audit chain verifies: ${pack.chain.checked} entries checked. The JSON file carries every row's hash and the previous row's hash for recomputation.`
      : `**The audit chain is BROKEN at entry ${pack.chain.brokenAt}**: ${pack.chain.reason} (${pack.chain.checked} entries checked before it).`,
  );
  return `${lines.join('\n')}\n`;
}
