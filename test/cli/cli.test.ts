import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { run as evidence } from '../../src/cli/evidence';
import { run as verifyAudit } from '../../src/cli/verify-audit';
import type { EvidencePackJson } from '../../src/requests/evidence-pack';
import { AuditStore, auditHash, openDatabase, RequestsStore } from '../../src/store';

const NOW = new Date('2026-11-26T10:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

describe('npm run evidence / npm run audit:verify', () => {
  let dir: string;
  let env: Record<string, string>;
  let requestId: string;
  let otherId: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-cli-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'warden.db')}` };
    const db = await openDatabase(env.DATABASE_URL ?? '');
    try {
      const requests = new RequestsStore(db);
      const audit = new AuditStore(db);
      const target = { userId: '005000000000003AAA', username: 'bob@acme.com', name: 'Bob | Baker', email: 'bob@acme.com' };
      const r = await requests.create(
        {
          kind: 'remove_session',
          target,
          params: { sessionIds: ['0Ak000000000001AAA'], deleteToken: 'must-not-appear' },
          reason: 'Moscow and San Francisco at once',
          requestedBy: 'U0ADMIN01',
          requiredApprovals: 1,
          evidence: {
            capturedAt: NOW.toISOString(),
            sessions: 4,
            families: 1,
            countries: ['RU'],
            findings: ['another session from Moscow, RU'],
            snapshot: [{ id: '0Ak000000000001AAA', type: 'UI', ip: '198.51.100.23', place: 'Moscow, RU', createdAt: NOW.toISOString(), children: 3 }],
            logins: [{ at: NOW.toISOString(), status: 'Success', ip: '198.51.100.23', place: 'Moscow, RU' }],
          },
          expiresAt: later(60),
        },
        NOW,
      );
      requestId = r.id;
      const other = await requests.create({ ...r, kind: 'freeze', params: {}, reason: 'unrelated' }, NOW);
      otherId = other.id;
      const t = target.userId;
      await audit.append({ requestId, targetUserId: t, actor: 'U0ADMIN01', event: 'requested', detail: { kind: r.kind, params: r.params } }, NOW);
      // Another request's row in between: the pack must leave it out and the chain must still verify.
      await audit.append({ requestId: otherId, targetUserId: t, actor: 'U0ADMIN01', event: 'requested', detail: null }, NOW);
      await audit.append({ requestId, targetUserId: t, actor: 'U0APPROV1', event: 'approved', detail: { approvals: 1, required: 1 } }, later(1));
      await audit.append(
        { requestId, targetUserId: t, actor: 'system', event: 'step', detail: { step: 'remove', status: 'ok', summary: 'Ended 4 sessions.', apiCalls: 2, answer: { ended: 4, password: 'hunter2' } } },
        later(1),
      );
      await audit.append({ requestId, targetUserId: t, actor: 'system', event: 'verified', detail: { when: 'immediate', ok: true, summary: 'no session left', detail: null } }, later(1));
    } finally {
      await db.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the Markdown and JSON pack for a request and prints both paths', async () => {
    const c = capture();
    const out = path.join(dir, 'packs', 'nested');
    expect(await evidence([requestId, '--out', out], env, c.io, () => later(5))).toBe(0);
    const mdPath = path.join(out, `${requestId}.md`);
    const jsonPath = path.join(out, `${requestId}.json`);
    expect(c.out).toEqual([mdPath, jsonPath]);
    expect(c.err).toEqual([]);

    const md = readFileSync(mdPath, 'utf8');
    expect(md).toContain(`# Evidence pack: request ${requestId}`);
    expect(md).toContain('- Target: Bob \\| Baker (bob@acme.com)');
    expect(md).toContain('| 0Ak000000000001AAA | UI | 198.51.100.23 | Moscow, RU |');
    expect(md).toContain('approved by U0APPROV1 (approval 1 of 1)');
    expect(md).toContain('**remove**: OK — Ended 4 sessions. (2 API calls); Salesforce answer: `{"ended":4}`');
    expect(md).toContain('Intact: all 5 entries of the whole audit log verify');

    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as EvidencePackJson;
    expect(json.generatedAt).toBe(later(5).toISOString());
    expect(json.request.id).toBe(requestId);
    expect(json.audit.map((e) => e.seq)).toEqual([1, 3, 4, 5]);
    expect(json.decisions.map((d) => d.event)).toEqual(['requested', 'approved']);
    expect(json.steps).toHaveLength(1);
    expect(json.verification[0]).toMatchObject({ when: 'immediate', ok: true });
    // Rows as written by the real store recompute from the file (bar the one whose secret was dropped).
    for (const { hash, detailRedacted, ...fields } of json.audit) if (!detailRedacted) expect(auditHash(fields)).toBe(hash);
    expect(json.audit.filter((e) => e.detailRedacted).map((e) => e.seq)).toEqual([1, 4]);
    for (const text of [md, JSON.stringify(json)]) {
      expect(text).not.toContain('must-not-appear');
      expect(text).not.toContain('hunter2');
    }
  });

  it('writes to the current folder by default (--out= form also accepted)', async () => {
    const c = capture();
    const cwd = process.cwd();
    const here = mkdtempSync(path.join(dir, 'cwd-'));
    process.chdir(here);
    try {
      expect(await evidence([requestId], env, c.io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(c.out).toEqual([`${requestId}.md`, `${requestId}.json`]);
    expect(existsSync(path.join(here, `${requestId}.md`))).toBe(true);
    const eq = capture();
    expect(await evidence([`--out=${path.join(dir, 'eq')}`, otherId], env, eq.io)).toBe(0);
    expect(existsSync(path.join(dir, 'eq', `${otherId}.json`))).toBe(true);
  });

  it('exits 1 for an unknown request and 2 for bad usage, with one line and no stack', async () => {
    const unknown = capture();
    expect(await evidence(['RAAAAAAAAAA'], env, unknown.io)).toBe(1);
    expect(unknown.err).toEqual(['No request RAAAAAAAAAA in this database.']);
    const malformed = capture();
    expect(await evidence(['../../etc/passwd'], env, malformed.io)).toBe(1);
    expect(malformed.err.join('')).toMatch(/^No request \.\.\/\.\.\/etc\/passwd: request ids are R/);
    for (const argv of [[], [requestId, '--out'], [requestId, 'extra'], ['--verbose', requestId]]) {
      const bad = capture();
      expect(await evidence(argv, env, bad.io)).toBe(2);
      expect(bad.err.join('\n')).toContain('usage: npm run evidence -- <requestId> [--out <dir>]');
    }
    const badVerify = capture();
    expect(await verifyAudit(['now'], env, badVerify.io)).toBe(2);
  });

  it('refuses a database file that does not exist instead of creating an empty one', async () => {
    const missing = path.join(dir, 'nowhere', 'warden.db');
    for (const tool of [(io: ReturnType<typeof capture>['io']) => verifyAudit([], { DATABASE_URL: `sqlite:${missing}` }, io), (io: ReturnType<typeof capture>['io']) => evidence([requestId], { DATABASE_URL: `sqlite:${missing}` }, io)]) {
      const c = capture();
      expect(await tool(c.io)).toBe(1);
      expect(c.err.join('')).toContain(`No database at ${missing}`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('verifies the chain, then reports the first tampered entry (exit 3) and the pack says so', async () => {
    const ok = capture();
    expect(await verifyAudit([], env, ok.io)).toBe(0);
    expect(ok.out).toEqual(['Audit chain intact: 5 entries checked']);

    const db = await openDatabase(env.DATABASE_URL ?? '');
    try {
      await sql`UPDATE audit_log SET actor = 'U0MALLORY' WHERE seq = 3`.execute(db.db);
    } finally {
      await db.close();
    }
    const broken = capture();
    expect(await verifyAudit([], env, broken.io)).toBe(3);
    expect(broken.out).toEqual(['Audit chain BROKEN at entry 3: entry 3 content does not match its hash (2 entries checked before it)']);

    const pack = capture();
    expect(await evidence([requestId, '--out', path.join(dir, 'after')], env, pack.io)).toBe(0);
    const md = readFileSync(path.join(dir, 'after', `${requestId}.md`), 'utf8');
    expect(md).toContain('**BROKEN at entry 3**');
    expect(md).toContain('Entries of this request that cannot be trusted (at or after the break): 3, 4, 5.');
    const json = JSON.parse(readFileSync(path.join(dir, 'after', `${requestId}.json`), 'utf8')) as EvidencePackJson;
    expect(json.chain).toEqual({ ok: false, checked: 2, brokenAt: 3, reason: 'entry 3 content does not match its hash' });
  });
});
