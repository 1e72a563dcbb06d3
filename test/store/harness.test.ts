import { Client } from 'pg';
import { createTestDatabase, findPgBin, missingPostgresError } from '../support/postgres';

describe('PostgreSQL test harness', () => {
  it('global setup exported a reachable server on loopback', async () => {
    const url = process.env.TEST_DATABASE_URL;
    expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\//);
    const c = new Client({ connectionString: url });
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    await c.end();
    expect(Number(r.rows[0]?.server_version.split('.')[0])).toBeGreaterThanOrEqual(13);
  });

  it('creates an isolated database per caller and drops it', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    expect(a.url).not.toBe(b.url);
    const c = new Client({ connectionString: a.url });
    await c.connect();
    await c.query('CREATE TABLE t (x int)');
    await c.end();
    const d = new Client({ connectionString: b.url });
    await d.connect();
    const r = await d.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 't'");
    await d.end();
    expect(r.rows[0]).toEqual({ n: 0 });
    await a.drop();
    await b.drop();
    const e = new Client({ connectionString: a.url });
    await expect(e.connect()).rejects.toThrow(/does not exist/);
  });
});

describe('missing PostgreSQL binaries', () => {
  it('fails the run with install instructions, and says CI needs a real server when CI is set', () => {
    const ci = missingPostgresError({ CI: 'true' });
    const local = missingPostgresError({});
    expect(ci.message).toMatch(/CI must test against a real PostgreSQL/);
    expect(ci.message).toMatch(/apt-get install -y postgresql/);
    expect(local.message).toMatch(/apt-get install -y postgresql/);
    expect(local.message).toMatch(/TEST_DATABASE_URL/);
  });

  it('finds the installed binaries on this machine', () => {
    expect(findPgBin()).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
  });
});
