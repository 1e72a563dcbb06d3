import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { run as evidence } from '../../src/cli/evidence';
import { run as verifyAudit } from '../../src/cli/verify-audit';
import { buildEvidencePack, evidencePackMarkdown } from '../../src/requests/evidence-pack';
import { AuditStore, openDatabase, RequestsStore } from '../../src/store';

const NOW = new Date('2026-11-26T10:00:00Z');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('evidence pack and audit tools', () => {
  let dir: string;
  let env: Record<string, string>;
  let requestId: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-cli-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'warden.db')}` };
    const db = await openDatabase(env.DATABASE_URL ?? '');
    try {
      const requests = new RequestsStore(db);
      const audit = new AuditStore(db);
      const r = await requests.create(
        {
          kind: 'remove_session',
          target: { userId: '005000000000003AAA', username: 'bob@acme.com', name: 'Bob | Baker', email: 'bob@acme.com' },
          params: { sessionIds: ['0Ak000000000001AAA'], deleteToken: 'must-not-appear' },
          reason: 'Moscow and San Francisco at once\nuser confirms no travel',
          requestedBy: 'U0ADMIN01',
          requiredApprovals: 1,
          evidence: {
            sessions: 4,
            families: 1,
            countries: ['RU'],
            findings: ['another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart'],
            snapshot: [{ id: '0Ak000000000001AAA', type: 'UI', ip: '198.51.100.23', place: 'Moscow, RU', createdAt: NOW.toISOString(), children: 3 }],
            logins: [{ at: NOW.toISOString(), status: 'Invalid Password', ip: '198.51.100.23', place: 'Moscow, RU' }],
          },
          expiresAt: new Date(NOW.getTime() + 3_600_000),
        },
        NOW,
      );
      requestId = r.id;
      const t = r.target.userId;
      await audit.append({ requestId, targetUserId: t, actor: 'U0ADMIN01', event: 'requested', detail: { reason: r.reason } }, NOW);
      await audit.append({ requestId, targetUserId: t, actor: 'U0APPROV1', event: 'approved' }, NOW);
      await audit.append(
        { requestId, targetUserId: t, actor: 'system', event: 'step', detail: { step: 'remove', status: 'ok', summary: 'ended 4 sessions.', apiCalls: 2, answer: { ended: 4, password: 'hunter2' } } },
        NOW,
      );
      await audit.append({ requestId, targetUserId: t, actor: 'system', event: 'verified', detail: { when: 'immediate', ok: true, summary: 'no session left', alerts: [] } }, NOW);
    } finally {
      await db.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports Markdown and JSON with the request, evidence, decisions, steps, verification and hashes', async () => {
    const c = capture();
    const out = path.join(dir, 'packs');
    expect(await evidence([requestId, '--out', out], env, c.io, NOW)).toBe(0);
    expect(c.out).toEqual([path.join(out, `${requestId}.md`), path.join(out, `${requestId}.json`)]);
    const md = readFileSync(path.join(out, `${requestId}.md`), 'utf8');
    const json = JSON.parse(readFileSync(path.join(out, `${requestId}.json`), 'utf8')) as ReturnType<typeof buildEvidencePack>;
    expect(md).toContain(`# Evidence pack: request ${requestId}`);
    expect(md).toContain('Bob \\| Baker');
    expect(md).toContain('> Moscow and San Francisco at once\n> user confirms no travel');
    expect(md).toContain('| 0Ak000000000001AAA | UI | 198.51.100.23 | Moscow, RU |');
    expect(md).toContain('approved by U0APPROV1');
    expect(md).toContain('**remove** ok — ended 4 sessions. (2 API calls)');
    expect(md).toContain('The whole audit chain verifies: 4 entries checked');
    expect(json.decisions.map((d) => d.event)).toEqual(['requested', 'approved']);
    expect(json.steps[0]).toMatchObject({ step: 'remove', status: 'ok', apiCalls: 2, answer: { ended: 4 } });
    expect(json.verifications[0]).toMatchObject({ when: 'immediate', ok: true });
    expect(json.audit).toHaveLength(4);
    expect(json.audit[1]?.prevHash).toBe(json.audit[0]?.hash);
    for (const text of [md, JSON.stringify(json)]) {
      expect(text).not.toContain('must-not-appear');
      expect(text).not.toContain('hunter2');
    }
  });

  it('says so for an unknown request and for bad usage', async () => {
    const unknown = capture();
    expect(await evidence(['RAAAAAAAAAA'], env, unknown.io)).toBe(1);
    expect(unknown.err.join('')).toContain('No request RAAAAAAAAAA');
    const bad = capture();
    expect(await evidence([], env, bad.io)).toBe(2);
    expect(await evidence([requestId, '--out'], env, bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('usage:');
  });

  it('verifies the chain, and reports the first tampered entry', async () => {
    const ok = capture();
    expect(await verifyAudit(env, ok.io)).toBe(0);
    expect(ok.out).toEqual(['Audit chain intact: 4 entries checked.']);

    const db = await openDatabase(env.DATABASE_URL ?? '');
    try {
      await sql`UPDATE audit_log SET actor = 'U0MALLORY' WHERE seq = 2`.execute(db.db);
    } finally {
      await db.close();
    }
    const broken = capture();
    expect(await verifyAudit(env, broken.io)).toBe(3);
    expect(broken.out.join('')).toMatch(/^Audit chain BROKEN at entry 2: .+ \(1 entries checked before it\)\.$/);
    const pack = capture();
    expect(await evidence([requestId, '--out', path.join(dir, 'after')], env, pack.io, NOW)).toBe(0);
    expect(readFileSync(path.join(dir, 'after', `${requestId}.md`), 'utf8')).toContain('**The audit chain is BROKEN at entry 2**');
  });
});

describe('evidencePackMarkdown', () => {
  it('says plainly when nothing was executed or recorded', () => {
    const pack = buildEvidencePack({
      request: {
        id: 'RBBBBBBBBBB', kind: 'freeze', state: 'denied', target: { userId: '005000000000003AAA', username: 'b@acme.com', name: 'B', email: '' },
        params: {}, reason: 'x', requestedBy: 'U1', requiredApprovals: 1, approvals: [], decidedBy: 'U2', channelId: null, messageTs: null,
        evidence: null, result: null, createdAt: NOW, updatedAt: NOW, expiresAt: NOW, verifyDueAt: null, verifiedAt: null, version: 2,
      },
      audit: [],
      chain: { ok: true, checked: 0 },
      generatedAt: NOW,
    });
    const md = evidencePackMarkdown(pack);
    expect(md).toContain('No evidence was recorded');
    expect(md).toContain('Nothing was executed.');
    expect(md).toContain('No verification recorded.');
    expect(pack.request.slackMessage).toBeNull();
  });
});
