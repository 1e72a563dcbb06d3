// Runs a describe block once per database: SQLite in memory and a database of its own on the
// PostgreSQL cluster started by global-setup. Tables are emptied before each test.
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/store/database';
import { GENESIS_HASH } from '../../src/store/migrations/0001-initial';
import { createTestDatabase, type TestDatabase } from './postgres';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export function useDatabase(dialect: TestDialect): () => Database {
  let database: Database | undefined;
  let pg: TestDatabase | undefined;

  beforeAll(async () => {
    if (dialect === 'postgres') {
      pg = await createTestDatabase();
      // Enough connections that concurrency tests really run queries in parallel.
      database = await openDatabase(pg.url, { poolMax: 20 });
    } else {
      database = await openDatabase('sqlite::memory:');
    }
  });

  beforeEach(async () => {
    const { db } = current();
    await sql`delete from requests`.execute(db);
    await sql`delete from audit_log`.execute(db);
    await sql`delete from alerts`.execute(db);
    await sql`update audit_head set seq = 0, hash = ${GENESIS_HASH} where id = 1`.execute(db);
  });

  afterAll(async () => {
    await database?.close();
    await pg?.drop();
  });

  function current(): Database {
    if (!database) throw new Error('database not opened (beforeAll failed?)');
    return database;
  }
  return current;
}

/** The names of a table's indexes (primary-key and unique ones included), from the database's own catalogue. */
export async function indexesOn(database: Pick<Database, 'db' | 'dialect'>, table: string): Promise<string[]> {
  const listing =
    database.dialect === 'postgres'
      ? sql<{ name: string }>`select indexname as name from pg_indexes where tablename = ${table}`
      : sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table}`;
  return (await listing.execute(database.db)).rows.map((r) => r.name);
}
