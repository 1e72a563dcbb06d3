import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { run as evidence } from '../../src/cli/evidence';
import { run as verifyAudit } from '../../src/cli/verify-audit';
import type { ParamsByKind } from '../../src/domain/requests';
import type { EvidencePackJson } from '../../src/requests/evidence-pack';
import { AuditStore, auditHash, formatChainHead, openDatabase, RequestsStore, type ChainHead } from '../../src/store';

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
  /** The head after setup, as a request's final Slack message would state it. */
  let stated: ChainHead;

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
          // deleteToken is no parameter of the kind: it stands for a secret that reached the stored params anyway.
          params: { familyIds: ['0Ak000000000001AAA'], sessionIds: ['0Ak000000000001AAA'], deleteToken: 'must-not-appear' } as ParamsByKind['remove_session'],
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
      // The stored request drops params its kind does not have; the audit detail keeps what it was given.
      await audit.append(
        {
          requestId,
          targetUserId: t,
          actor: 'U0ADMIN01',
          event: 'requested',
          detail: { kind: r.kind, params: { ...r.params, deleteToken: 'must-not-appear' } },
        },
        NOW,
      );
      // Another request's row in between: the pack must leave it out and the chain must still verify.
      await audit.append({ requestId: otherId, targetUserId: t, actor: 'U0ADMIN01', event: 'requested', detail: null }, NOW);
      await audit.append({ requestId, targetUserId: t, actor: 'U0APPROV1', event: 'approved', detail: { approvals: 1, required: 1 } }, later(1));
      await audit.append(
        {
          requestId,
          targetUserId: t,
          actor: 'system',
          event: 'step',
          detail: { step: 'remove', status: 'ok', summary: 'Ended 4 sessions.', apiCalls: 2, answer: { ended: 4, password: 'hunter2' } },
        },
        later(1),
      );
      await audit.append(
        { requestId, targetUserId: t, actor: 'system', event: 'verified', detail: { when: 'immediate', ok: true, summary: 'no session left', detail: null } },
        later(1),
      );
      stated = await audit.head();
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
    for (const tool of [
      (io: ReturnType<typeof capture>['io']) => verifyAudit([], { DATABASE_URL: `sqlite:${missing}` }, io),
      (io: ReturnType<typeof capture>['io']) => evidence([requestId], { DATABASE_URL: `sqlite:${missing}` }, io),
    ]) {
      const c = capture();
      expect(await tool(c.io)).toBe(1);
      expect(c.err.join('')).toContain(`No database at ${missing}`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('verifies the chain, then reports the first tampered entry (exit 3) and the pack says so', async () => {
    const ok = capture();
    expect(await verifyAudit([], env, ok.io)).toBe(0);
    expect(ok.out).toEqual(['Audit chain intact: 5 entries checked', 'Unkeyed: AUDIT_HMAC_KEY is not set, so a database writer could rewrite the chain.']);

    const againstHead = capture();
    expect(await verifyAudit(['--expect-head', formatChainHead(stated)], env, againstHead.io)).toBe(0);
    expect(againstHead.out[1]).toBe(`The stated head 5:${stated.hash.slice(0, 12)}… is in the chain, unchanged.`);

    const db = await openDatabase(env.DATABASE_URL ?? '');
    try {
      await sql`UPDATE audit_log SET actor = 'U0MALLORY' WHERE seq = 3`.execute(db.db);
    } finally {
      await db.close();
    }
    const broken = capture();
    expect(await verifyAudit([], env, broken.io)).toBe(3);
    expect(broken.out).toEqual([
      'Audit chain BROKEN at entry 3: entry 3 content does not match its hash (2 entries checked before it)',
      'Checked without AUDIT_HMAC_KEY (unkeyed).',
    ]);

    const pack = capture();
    expect(await evidence([requestId, '--out', path.join(dir, 'after')], env, pack.io)).toBe(0);
    const md = readFileSync(path.join(dir, 'after', `${requestId}.md`), 'utf8');
    expect(md).toContain('**BROKEN at entry 3**');
    expect(md).toContain('Entries of this request that cannot be trusted (at or after the break): 3, 4, 5.');
    const json = JSON.parse(readFileSync(path.join(dir, 'after', `${requestId}.json`), 'utf8')) as EvidencePackJson;
    expect(json.chain).toEqual({ ok: false, checked: 2, brokenAt: 3, reason: 'entry 3 content does not match its hash', anchored: false, keyedFrom: null });
  });

  it('--expect-head: a database emptied or replaced since the head was stated is BROKEN, not "intact: 0 entries"', async () => {
    const fresh = { DATABASE_URL: `sqlite:${path.join(dir, 'replaced.db')}` };
    await (await openDatabase(fresh.DATABASE_URL)).close();
    const plain = capture();
    expect(await verifyAudit([], fresh, plain.io)).toBe(0);
    expect(plain.out[0]).toBe('Audit chain intact: 0 entries checked');
    const c = capture();
    expect(await verifyAudit([`--expect-head=${formatChainHead(stated)}`], fresh, c.io)).toBe(3);
    expect(c.out[0]).toBe(
      `Audit chain BROKEN at entry 1: the chain has 0 entries but entry 5 (hash ${stated.hash.slice(0, 12)}…) was stated: entries were removed or the database was emptied or replaced (0 entries checked before it)`,
    );
  });

  it('--expect-head: usage errors exit 2', async () => {
    for (const argv of [['--expect-head'], ['--expect-head', '5'], ['--expect-head', `5:${'g'.repeat(64)}`], ['--expect-head=-1:abc'], ['--expect'], ['now']]) {
      const c = capture();
      expect(await verifyAudit(argv, env, c.io)).toBe(2);
      expect(c.err.join('\n')).toContain('usage: npm run audit:verify [-- --expect-head <seq>:<hash>]');
    }
  });

  it('AUDIT_HMAC_KEY: says whether the chain is keyed, and refuses a short key without printing it', async () => {
    const key = 'an-audit-key-that-is-long-enough-0123456789';
    const keyedEnv = { DATABASE_URL: `sqlite:${path.join(dir, 'keyed.db')}` };
    const db = await openDatabase(keyedEnv.DATABASE_URL);
    try {
      const audit = new AuditStore(db, { hmacKey: key });
      await audit.append({ actor: 'U0ADMIN01', event: 'requested' }, NOW);
      await audit.append({ actor: 'U0APPROV1', event: 'approved' }, later(1));
    } finally {
      await db.close();
    }
    const keyed = capture();
    expect(await verifyAudit([], { ...keyedEnv, AUDIT_HMAC_KEY: key }, keyed.io)).toBe(0);
    expect(keyed.out).toEqual([
      'Audit chain intact: 2 entries checked',
      'Keyed: the chain head carries a valid HMAC under AUDIT_HMAC_KEY; a database writer without the key cannot rewrite it.',
    ]);
    const withoutKey = capture();
    expect(await verifyAudit([], keyedEnv, withoutKey.io)).toBe(0);
    expect(withoutKey.out[1]).toBe(
      'Unkeyed check: entries from 1 on carry HMACs, but AUDIT_HMAC_KEY is not set here, so they were not checked and a database writer could rewrite the chain.',
    );
    const wrongKey = capture();
    expect(await verifyAudit([], { ...keyedEnv, AUDIT_HMAC_KEY: 'another-key-that-is-also-long-enough-xyz' }, wrongKey.io)).toBe(3);
    expect(wrongKey.out).toEqual([
      'Audit chain BROKEN at entry 1: entry 1 has an HMAC that does not match: it was written or rewritten without the audit key (0 entries checked before it)',
      'Checked with AUDIT_HMAC_KEY (keyed).',
    ]);
    for (const tool of [verifyAudit, (argv: string[], e: Record<string, string>, io: ReturnType<typeof capture>['io']) => evidence([requestId], e, io)]) {
      const short = capture();
      expect(await tool([], { ...env, AUDIT_HMAC_KEY: 'short-key' }, short.io)).toBe(1);
      expect(short.err.join('')).toMatch(/^AUDIT_HMAC_KEY must be at least 32 characters/);
      expect([...short.out, ...short.err].join('')).not.toContain('short-key');
    }
  });
});
