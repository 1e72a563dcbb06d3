import { isSuccessStatus } from '../domain/login-status';
import { randomUUID } from 'node:crypto';
import type { LoginEvent, Session, SfUser } from '../domain/types';
import { toIso } from './codec';
import type { Database, Dialect } from './database';
import { fromTaggedJson, toTaggedJson } from './tagged-json';

/** Which mirror rows an upsert created or changed, and whose they are (both sorted, deduplicated). */
export interface MirrorChange {
  rowIds: string[];
  userIds: string[];
}

/** The mirror sessions a full scan found ended and removed, and their users (both sorted). */
export interface ScanOutcome {
  sessionIds: string[];
  userIds: string[];
}

/**
 * Bound parameters per statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766 since 3.32) and
 * PostgreSQL's wire-protocol limit (65,535).
 */
const PARAMETER_LIMIT: Readonly<Record<Dialect, number>> = { sqlite: 32_766, postgres: 65_535 };
/**
 * Far below either limit on purpose: upserting 100k sessions took the same time (within noise)
 * at 250, 1,000, 2,000 and 8,000 rows a statement on both databases, and a smaller statement
 * holds less memory at once.
 */
const MAX_ROWS_PER_STATEMENT = 1_000;
/** Ids in one `IN (…)` list. */
const MAX_IDS_PER_LIST = 5_000;
/** The login mirror's index by person (migrations 0004, 0010). */
const LOGINS_USER_INDEX = 'monitor_logins_user_idx';
/** Both mirror tables bind four values a row: id, user_id, the time column and data. */
const MIRROR_COLUMNS = 4;

/**
 * The monitor's local mirror of Salesforce: live sessions (AuthSession) and the login window
 * (LoginHistory), so each poll asks Salesforce only for what is new and the rules read the rest
 * here. Rows are kept whole, so reads give back exactly the domain objects that were written.
 */
export class MonitorStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  private get rowsPerStatement(): number {
    return Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(PARAMETER_LIMIT[this.database.dialect] / MIRROR_COLUMNS));
  }

  /**
   * Inserts new sessions and rewrites changed ones; a row equal to the stored one is not touched
   * and not reported. One transaction: if it fails nothing is written, so no change is lost
   * between "written" and "reported". Sessions never move between users in Salesforce, so a
   * change is reported for the session's (current) user only.
   *
   * Call it once per Salesforce page (2,000 rows) rather than with a whole scan: SQLite has one
   * connection, and every other query of the bot waits while a transaction holds it (100k rows
   * in one call held it for seconds; a page takes tens of milliseconds).
   */
  async upsertSessions(sessions: readonly Session[]): Promise<MirrorChange> {
    const rows = lastOfEachId(sessions).map((s) => ({ id: s.id, user_id: s.userId, created_at: toIso(s.createdAt), data: toTaggedJson(s) }));
    if (rows.length === 0) return { rowIds: [], userIds: [] };
    const changed = await this.db.transaction().execute(async (trx) => {
      const out: Array<{ id: string; user_id: string }> = [];
      for (const batch of chunks(rows, this.rowsPerStatement)) {
        // DO UPDATE … WHERE leaves equal rows alone, and RETURNING lists only rows inserted or
        // updated: one atomic statement tells new and changed rows from repeats on both databases.
        const written = await trx
          .insertInto('monitor_sessions')
          .values(batch)
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet((eb) => ({ user_id: eb.ref('excluded.user_id'), created_at: eb.ref('excluded.created_at'), data: eb.ref('excluded.data') }))
              .where((eb) => eb('monitor_sessions.data', '<>', eb.ref('excluded.data'))),
          )
          .returning(['id', 'user_id'])
          .execute();
        out.push(...written);
      }
      return out;
    });
    return changeOf(changed);
  }

  /** As upsertSessions, for LoginHistory rows (which Salesforce may complete later, e.g. with the place). */
  async upsertLogins(logins: readonly LoginEvent[]): Promise<MirrorChange> {
    const rows = lastOfEachId(logins).map((l) => ({
      id: l.id,
      user_id: l.userId,
      login_time: toIso(l.loginTime),
      data: toTaggedJson(l),
      source_ip: l.sourceIp?.trim().toLowerCase() || null,
      succeeded: isSuccessStatus(l.status) ? 1 : 0,
    }));
    if (rows.length === 0) return { rowIds: [], userIds: [] };
    const changed = await this.db.transaction().execute(async (trx) => {
      const out: Array<{ id: string; user_id: string }> = [];
      for (const batch of chunks(rows, this.rowsPerStatement)) {
        const written = await trx
          .insertInto('monitor_logins')
          .values(batch)
          .onConflict((oc) =>
            oc
              // The table's key (migration 0010): a row's LoginTime never changes, so this names it as its id does.
              .columns(['login_time', 'id'])
              .doUpdateSet((eb) => ({
                user_id: eb.ref('excluded.user_id'),
                data: eb.ref('excluded.data'),
                source_ip: eb.ref('excluded.source_ip'),
                succeeded: eb.ref('excluded.succeeded'),
              }))
              .where((eb) => eb('monitor_logins.data', '<>', eb.ref('excluded.data'))),
          )
          .returning(['id', 'user_id'])
          .execute();
        out.push(...written);
      }
      return out;
    });
    return changeOf(changed);
  }

  /**
   * The first start's backfill: `load` writes the whole login window (a million rows in a large
   * org) without the per-user index, which is then built once, sorted. Kept up to date row by row,
   * that index took two thirds of the load's database time: every page of 2,000 logins of random
   * people rewrote as many of its pages at each commit (1,000,000 rows: 27 s of CPU with it, 9 s
   * without it and its build). Only the monitor reads logins by user, after its backfill; if the
   * load fails the index is still built, and a backfill interrupted by a crash is run again at the
   * next start (it is marked done only after this returns), so no later poll runs without it.
   */
  async bulkLoadLogins<T>(load: () => Promise<T>): Promise<T> {
    await this.db.schema.dropIndex(LOGINS_USER_INDEX).ifExists().execute();
    let result: T;
    try {
      result = await load();
    } catch (err) {
      // The load's own error is the one to report; the index is retried by the next backfill.
      await this.ensureLoginIndexes().catch(() => undefined);
      throw err;
    }
    await this.ensureLoginIndexes();
    return result;
  }

  /** The per-user login index (migration 0004), back after a bulk load; a no-op when it is there. */
  private async ensureLoginIndexes(): Promise<void> {
    await this.db.schema.createIndex(LOGINS_USER_INDEX).ifNotExists().on('monitor_logins').columns(['user_id', 'login_time']).execute();
  }

  /** The mirrored sessions of these users, by user, then oldest first. */
  async sessionsOfUsers(userIds: readonly string[]): Promise<Session[]> {
    const sessions: Session[] = [];
    for (const ids of chunks([...new Set(userIds)], MAX_IDS_PER_LIST)) {
      const rows = await this.db.selectFrom('monitor_sessions').select('data').where('user_id', 'in', ids).execute();
      for (const row of rows) sessions.push(fromTaggedJson(row.data) as Session);
    }
    return sessions.sort((a, b) => compareText(a.userId, b.userId) || a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id));
  }

  /**
   * Every mirrored session (the org view of `/sessions` alone), in pages by id so no statement
   * returns the whole table at once; sorted as sessionsOfUsers sorts.
   */
  async allSessions(): Promise<Session[]> {
    const sessions: Session[] = [];
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('monitor_sessions').select(['id', 'data']).where('id', '>', after).orderBy('id').limit(MAX_IDS_PER_LIST).execute();
      for (const row of rows) sessions.push(fromTaggedJson(row.data) as Session);
      const last = rows[rows.length - 1];
      if (!last || rows.length < MAX_IDS_PER_LIST) break;
      after = last.id;
    }
    return sessions.sort((a, b) => compareText(a.userId, b.userId) || a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id));
  }

  /** The mirrored logins of these users at or after `since`, newest first (the order the rules expect). */
  async loginsOfUsers(userIds: readonly string[], since: Date): Promise<LoginEvent[]> {
    const from = toIso(since);
    const logins: LoginEvent[] = [];
    for (const ids of chunks([...new Set(userIds)], MAX_IDS_PER_LIST)) {
      const rows = await this.db.selectFrom('monitor_logins').select('data').where('user_id', 'in', ids).where('login_time', '>=', from).execute();
      for (const row of rows) logins.push(fromTaggedJson(row.data) as LoginEvent);
    }
    return logins.sort((a, b) => b.loginTime.getTime() - a.loginTime.getTime() || compareText(b.id, a.id));
  }

  /** How many mirrored logins each of these users has at or after `since` (users without any are left out). */
  async loginCountsOfUsers(userIds: readonly string[], since: Date): Promise<Map<string, number>> {
    const from = toIso(since);
    const counts = new Map<string, number>();
    for (const ids of chunks([...new Set(userIds)], MAX_IDS_PER_LIST)) {
      const rows = await this.db
        .selectFrom('monitor_logins')
        .select(['user_id', (eb) => eb.fn.countAll<number | string | bigint>().as('logins')])
        .where('user_id', 'in', ids)
        .where('login_time', '>=', from)
        .groupBy('user_id')
        .execute();
      // PostgreSQL's count is a bigint, which pg gives as text.
      for (const row of rows) counts.set(row.user_id, Number(row.logins));
    }
    return counts;
  }

  /** Which of these (lower-cased) addresses failed to sign in as at least `minUsers` different people since `since`. */
  async addressesFailingAs(addresses: readonly string[], since: Date, minUsers: number): Promise<string[]> {
    if (addresses.length === 0) return [];
    const rows = await this.db
      .selectFrom('monitor_logins')
      .select('source_ip')
      .where('source_ip', 'in', [...addresses])
      .where('login_time', '>=', toIso(since))
      .where('succeeded', '=', 0)
      .groupBy('source_ip')
      .having((eb) => eb.fn.count<number>('user_id').distinct(), '>=', minUsers)
      .execute();
    return rows.flatMap((row) => (row.source_ip ? [row.source_ip] : []));
  }

  /** Every mirrored login from any of these (lower-cased) addresses at or after `since`, oldest first. */
  async loginsFromAddresses(addresses: readonly string[], since: Date): Promise<LoginEvent[]> {
    if (addresses.length === 0) return [];
    const rows = await this.db
      .selectFrom('monitor_logins')
      .select('data')
      .where('source_ip', 'in', [...addresses])
      .where('login_time', '>=', toIso(since))
      .orderBy('login_time')
      .orderBy('id')
      .execute();
    return rows.map((row) => fromTaggedJson(row.data) as LoginEvent);
  }

  /**
   * Addresses at least `minUsers` different people signed in from successfully since `since`: a
   * VPN exit or an office's NAT, whose geo-IP place is the network's, not the person's. One
   * aggregate over the window (the monitor asks once per full scan).
   */
  async sharedAddresses(since: Date, minUsers: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('monitor_logins')
      .select('source_ip')
      .where('login_time', '>=', toIso(since))
      .where('succeeded', '=', 1)
      .where('source_ip', 'is not', null)
      .groupBy('source_ip')
      .having((eb) => eb.fn.count<number>('user_id').distinct(), '>=', minUsers)
      .execute();
    return rows.flatMap((row) => (row.source_ip ? [row.source_ip] : []));
  }

  /** Drops logins older than the window the rules read; returns how many. */
  /** Remembers users (the people alerts are about); a later read of the same user replaces it. */
  async rememberUsers(users: readonly SfUser[], now: Date): Promise<void> {
    const at = toIso(now);
    for (const batch of chunks([...new Map(users.map((u) => [u.id, u])).values()], this.rowsPerStatement)) {
      await this.db
        .insertInto('monitor_users')
        .values(batch.map((u) => ({ id: u.id, data: toTaggedJson(u), updated_at: at })))
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ data: eb.ref('excluded.data'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
    }
  }

  async usersByIds(userIds: readonly string[]): Promise<SfUser[]> {
    const out: SfUser[] = [];
    for (const ids of chunks([...new Set(userIds)], MAX_IDS_PER_LIST)) {
      const rows = await this.db.selectFrom('monitor_users').select('data').where('id', 'in', ids).execute();
      out.push(...rows.map((r) => fromTaggedJson(r.data) as SfUser));
    }
    return out;
  }

  async pruneLogins(before: Date): Promise<number> {
    const res = await this.db.deleteFrom('monitor_logins').where('login_time', '<', toIso(before)).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Every user with a mirrored session or login, sorted: the periodic sweep of time-based rules. */
  async allUserIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('monitor_sessions').select('user_id').union(this.db.selectFrom('monitor_logins').select('user_id')).execute();
    return rows.map((r) => r.user_id).sort(compareText);
  }

  /**
   * Starts a full reconciliation: every session in the mirror now is a candidate for removal
   * until markSeen says Salesforce still lists it. Sessions the steady poll adds during the scan
   * are not candidates, so a scan whose pages were read before they existed cannot drop them.
   * One scan at a time: starting one abandons any other (a stale leader's endScan then removes
   * nothing, which is the safe way to lose that race). Returns the number of candidates.
   */
  /**
   * Drops sessions the bot itself just ended (ids, or every session of a user but `keep`), so
   * the mirror does not report them as live until the next full scan confirms it. Returns how many.
   */
  async forgetSessions(which: { ids: readonly string[] } | { userId: string; keep: (s: Session) => boolean }): Promise<number> {
    let ids: string[];
    if ('ids' in which) ids = [...new Set(which.ids)];
    else ids = (await this.sessionsOfUsers([which.userId])).filter((s) => !which.keep(s)).map((s) => s.id);
    let removed = 0;
    for (const batch of chunks(ids, MAX_IDS_PER_LIST)) {
      const res = await this.db.deleteFrom('monitor_sessions').where('id', 'in', batch).executeTakeFirst();
      removed += Number(res.numDeletedRows);
    }
    return removed;
  }

  async beginScan(scanId: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('monitor_scan_pending').execute();
      const res = await trx
        .insertInto('monitor_scan_pending')
        .columns(['scan_id', 'session_id'])
        .expression((eb) => eb.selectFrom('monitor_sessions').select([eb.cast<string>(eb.val(scanId), 'text').as('scan_id'), 'id as session_id']))
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n);
    });
  }

  /** Salesforce listed these sessions (one page of the scan): they are live. */
  async markSeen(scanId: string, sessionIds: readonly string[]): Promise<void> {
    for (const ids of chunks([...new Set(sessionIds)], MAX_IDS_PER_LIST)) {
      await this.db.deleteFrom('monitor_scan_pending').where('scan_id', '=', scanId).where('session_id', 'in', ids).execute();
    }
  }

  /**
   * Ends the scan after its last page: the candidates Salesforce did not list have ended and
   * leave the mirror. Call it only when every page was read; otherwise abandonScan.
   */
  async endScan(scanId: string): Promise<ScanOutcome> {
    const removed = await this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .deleteFrom('monitor_sessions')
        .where('id', 'in', (eb) => eb.selectFrom('monitor_scan_pending').select('session_id').where('scan_id', '=', scanId))
        .returning(['id', 'user_id'])
        .execute();
      await trx.deleteFrom('monitor_scan_pending').where('scan_id', '=', scanId).execute();
      return rows;
    });
    const { rowIds, userIds } = changeOf(removed);
    return { sessionIds: rowIds, userIds };
  }

  /** A scan that could not read every page removes nothing. */
  async abandonScan(scanId: string): Promise<void> {
    await this.db.deleteFrom('monitor_scan_pending').where('scan_id', '=', scanId).execute();
  }

  /** A whole scan whose live ids are already at hand (small orgs, tests): begin, mark, end. */
  async replaceLiveSessions(liveSessionIds: readonly string[]): Promise<ScanOutcome> {
    const scanId = randomUUID();
    await this.beginScan(scanId);
    try {
      await this.markSeen(scanId, liveSessionIds);
    } catch (err) {
      await this.abandonScan(scanId).catch(() => undefined);
      throw err;
    }
    return this.endScan(scanId);
  }
}

/**
 * PostgreSQL refuses to update one row twice in a statement; the last copy of an id is the
 * newest. Sorted by id so two writers (a stale leader and its successor) lock rows in the same
 * order and cannot deadlock.
 */
function lastOfEachId<T extends { id: string }>(rows: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => compareText(a.id, b.id));
}

function changeOf(rows: ReadonlyArray<{ id: string; user_id: string }>): MirrorChange {
  return {
    rowIds: rows.map((r) => r.id).sort(compareText),
    userIds: [...new Set(rows.map((r) => r.user_id))].sort(compareText),
  };
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Code-unit order, the same on every machine (the database's collation may differ). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
