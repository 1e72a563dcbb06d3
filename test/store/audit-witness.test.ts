import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditWitness, witnessFileFor } from '../../src/store/audit-witness';

const H = (c: string): string => c.repeat(64);

describe('AuditWitness', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-witness-'));
    file = witnessFileFor(path.join(dir, 'warden.db'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers the last head and finds the same chain at the next start', async () => {
    new AuditWitness(file).record({ seq: 7, hash: H('a') });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ seq: 7, hash: H('a') });
    const next = new AuditWitness(file);
    expect(next.atStart).toEqual({ seq: 7, hash: H('a') });
    // The chain grew since: fine, as long as entry 7 is the one remembered.
    expect(await next.check({ seq: 9, hash: H('c') }, (seq) => Promise.resolve(seq === 7 ? H('a') : null))).toBeNull();
    expect(next.problem).toBeNull();
  });

  it.each([
    ['emptied (a deleted file recreated)', { seq: 0, hash: H('0') }, null, 'the audit chain is gone: 7 entries were written'],
    ['cut short', { seq: 3, hash: H('b') }, null, 'the database holds 3'],
    ['replaced by another chain as long', { seq: 8, hash: H('d') }, H('e'), 'entry 7 is not the one written'],
  ])('says the chain is gone when the database was %s, and keeps the file as evidence', async (_what, current, hashAt7, words) => {
    new AuditWitness(file).record({ seq: 7, hash: H('a') });
    const next = new AuditWitness(file);
    const problem = await next.check(current, () => Promise.resolve(hashAt7));
    expect(problem).toContain(words);
    expect(next.problem).toBe(problem);
    next.record({ seq: 1, hash: H('f') });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ seq: 7, hash: H('a') });
  });

  it('starts without a remembered head when there is no file, or an unreadable one', async () => {
    expect(new AuditWitness(file).atStart).toBeNull();
    writeFileSync(file, 'not json');
    const w = new AuditWitness(file);
    expect(w.atStart).toBeNull();
    expect(await w.check({ seq: 0, hash: H('0') }, () => Promise.resolve(null))).toBeNull();
  });
});
