import { fromIso, toIso } from './codec';
import type { Database } from './database';
import { fromTaggedJson, toTaggedJson } from './tagged-json';

import type { BudgetState } from '../domain/budget';

export type { BudgetState };
export const BUDGET_STATES: readonly BudgetState[] = ['normal', 'stretched', 'paused'];

/** What the monitor remembers between polls, restarts and leaders. */
export interface MonitorStateValues {
  /** AuthSession.CreatedDate of the newest mirrored session: the next steady poll reads from here (minus the overlap). */
  sessionWatermark: Date;
  /** LoginHistory.LoginTime of the newest mirrored login. */
  loginWatermark: Date;
  lastFullScanAt: Date;
  /** The login window was backfilled once; from then on only new rows are read. */
  backfillDoneAt: Date;
  lastPollAt: Date;
  /** REST calls the monitor made on `day` (UTC, YYYY-MM-DD). */
  callsToday: { day: string; calls: number };
  /** The budget state last announced in Slack, so a restart does not announce it again. */
  budgetState: { state: BudgetState; since: Date };
}
export type MonitorStateKey = keyof MonitorStateValues;
/** Keys holding an instant: these may be advanced (moved forward only). */
export type MonitorTimeKey = { [K in MonitorStateKey]: MonitorStateValues[K] extends Date ? K : never }[MonitorStateKey];

export interface StateEntry<T> {
  value: T;
  /** 1 when first written, +1 on every write: the compare-and-set token. */
  version: number;
  updatedAt: Date;
}

const TIME_KEYS: ReadonlySet<MonitorStateKey> = new Set<MonitorTimeKey>([
  'sessionWatermark',
  'loginWatermark',
  'lastFullScanAt',
  'backfillDoneAt',
  'lastPollAt',
]);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** How often `modify` re-reads and retries after losing a compare-and-set before it gives up. */
const MODIFY_ATTEMPTS = 10;

/**
 * The monitor's watermarks and counters in one key/value table. Only the leader polls, but a
 * leader that lost its lock without noticing yet can still write late, so every write that could
 * go backwards is conditional: compare-and-set on a version, or advance-only for instants.
 */
export class MonitorStateStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async get<K extends MonitorStateKey>(key: K): Promise<StateEntry<MonitorStateValues[K]> | null> {
    const row = await this.db.selectFrom('monitor_state').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row) return null;
    return { value: decode(key, row.value), version: row.version, updatedAt: fromIso(row.updated_at) };
  }

  /** Writes whatever is stored (for values only this process's clock drives, e.g. lastPollAt). */
  async set<K extends MonitorStateKey>(key: K, value: MonitorStateValues[K], now: Date): Promise<StateEntry<MonitorStateValues[K]>> {
    const at = toIso(now);
    const row = await this.db
      .insertInto('monitor_state')
      .values({ key, value: encode(key, value), version: 1, updated_at: at })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), version: eb('monitor_state.version', '+', 1), updated_at: eb.ref('excluded.updated_at') })),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    return { value, version: row.version, updatedAt: now };
  }

  /**
   * Writes only if the stored version is still `expectedVersion` (null: only if nothing is stored
   * yet). Returns the new entry, or null when someone else wrote first (re-read and decide again).
   */
  async compareAndSet<K extends MonitorStateKey>(
    key: K,
    value: MonitorStateValues[K],
    expectedVersion: number | null,
    now: Date,
  ): Promise<StateEntry<MonitorStateValues[K]> | null> {
    const at = toIso(now);
    const text = encode(key, value);
    if (expectedVersion === null) {
      const row = await this.db
        .insertInto('monitor_state')
        .values({ key, value: text, version: 1, updated_at: at })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('version')
        .executeTakeFirst();
      return row ? { value, version: row.version, updatedAt: now } : null;
    }
    const row = await this.db
      .updateTable('monitor_state')
      .set({ value: text, version: expectedVersion + 1, updated_at: at })
      .where('key', '=', key)
      .where('version', '=', expectedVersion)
      .returning('version')
      .executeTakeFirst();
    return row ? { value, version: row.version, updatedAt: now } : null;
  }

  /**
   * Read, change, compare-and-set, retried a few times when another writer got in between
   * (e.g. counting calls). `change` gets null when nothing is stored yet and must be pure.
   */
  async modify<K extends MonitorStateKey>(
    key: K,
    change: (current: MonitorStateValues[K] | null) => MonitorStateValues[K],
    now: Date,
  ): Promise<StateEntry<MonitorStateValues[K]>> {
    for (let attempt = 0; attempt < MODIFY_ATTEMPTS; attempt++) {
      const current = await this.get(key);
      const written = await this.compareAndSet(key, change(current?.value ?? null), current?.version ?? null, now);
      if (written) return written;
    }
    throw new Error(`the database: monitor state "${key}" kept changing under ${MODIFY_ATTEMPTS} attempts to update it (two pollers running?)`);
  }

  /**
   * Moves an instant forward, never back: a late write from a stale leader with an older
   * watermark changes nothing. One atomic statement (ISO-8601 text orders as time). True when it moved.
   */
  async advance(key: MonitorTimeKey, to: Date, now: Date): Promise<boolean> {
    const row = await this.db
      .insertInto('monitor_state')
      .values({ key, value: toIso(to), version: 1, updated_at: toIso(now) })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), version: eb('monitor_state.version', '+', 1), updated_at: eb.ref('excluded.updated_at') }))
          .where((eb) => eb('monitor_state.value', '<', eb.ref('excluded.value'))),
      )
      .returning('version')
      .executeTakeFirst();
    return row !== undefined;
  }
}

/** Instants are stored as bare ISO text so `advance` can compare them in SQL; the rest as tagged JSON. */
function encode<K extends MonitorStateKey>(key: K, value: MonitorStateValues[K]): string {
  if (TIME_KEYS.has(key)) return toIso(value as Date);
  return toTaggedJson(value);
}

function decode<K extends MonitorStateKey>(key: K, text: string): MonitorStateValues[K] {
  if (TIME_KEYS.has(key)) return fromIso(text) as MonitorStateValues[K];
  const value = fromTaggedJson(text);
  const problem = `the database: monitor state "${key}" holds an unexpected value: ${text}`;
  if (key === 'callsToday') {
    const v = value as { day?: unknown; calls?: unknown } | null;
    if (typeof v?.day !== 'string' || !DAY.test(v.day) || !Number.isInteger(v.calls)) throw new Error(problem);
  } else if (key === 'budgetState') {
    const v = value as { state?: unknown; since?: unknown } | null;
    if (!BUDGET_STATES.includes(v?.state as BudgetState) || !(v?.since instanceof Date)) throw new Error(problem);
  }
  return value as MonitorStateValues[K];
}
