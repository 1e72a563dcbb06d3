import type { Selectable } from 'kysely';
import { fromIso, fromIsoOrNull, fromJsonText, toIso, toJsonText } from './codec';
import type { Database } from './database';
import type { SlackOutboxTable } from './schema';

/**
 * What a request row asks of Slack: post the request message, update it in place, reply in its
 * thread, or answer a response_url (the requester's confirmation).
 */
export type RequestOutboxKind = 'post' | 'update' | 'reply' | 'respond';
/** What an alert row asks of Slack: post the alert group's message, or edit it in place. */
/** `alert_image`: the map picture of a travel alert, uploaded into the alert's thread after its post. */
export type AlertOutboxKind = 'alert_post' | 'alert_update' | 'alert_image';
/** A channel notice (the monitor's "polling slowed / paused / resumed"): one message, no follow-up. */
export type NoticeOutboxKind = 'notice';
/** An alert storm's one digest message (rendered at delivery from the digest, key `digest:<id>`). */
export type DigestOutboxKind = 'alert_digest';
/** What an ask row asks of Slack: post the "was this you?" DM to the colleague, or edit it once answered. */
export type AskOutboxKind = 'ask_post' | 'ask_update';
export type OutboxKind = RequestOutboxKind | AlertOutboxKind | NoticeOutboxKind | DigestOutboxKind | AskOutboxKind;

export const REQUEST_OUTBOX_KINDS: readonly RequestOutboxKind[] = ['post', 'update', 'reply', 'respond'];
export const ALERT_OUTBOX_KINDS: readonly AlertOutboxKind[] = ['alert_post', 'alert_update', 'alert_image'];
export const ASK_OUTBOX_KINDS: readonly AskOutboxKind[] = ['ask_post', 'ask_update'];
export const OUTBOX_KINDS: readonly OutboxKind[] = [...REQUEST_OUTBOX_KINDS, ...ALERT_OUTBOX_KINDS, 'notice', 'alert_digest', ...ASK_OUTBOX_KINDS];

/** Kinds whose later rows of the same key are made redundant by a delivered one (they render the state at delivery). */
const MERGEABLE_KINDS: readonly OutboxKind[] = ['update', 'alert_update'];

/**
 * Which due keys go first (lower first; ties by age). Requests and alerts are equal: an approval
 * is as urgent as a new alert. Channel notices about the monitor itself come last, so a notice
 * never delays either when Slack's pace makes messages queue.
 */
export function priorityOf(kind: OutboxKind): number {
  return kind === 'notice' ? 1 : 0;
}

/** pending → sent | dead; `merged` is an update made redundant by the one delivered just before it. */
export type OutboxState = 'pending' | 'sent' | 'dead' | 'merged';
const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'sent', 'dead', 'merged'];

interface RowBase {
  /** Rows of one key are delivered one at a time, in the order they were enqueued. */
  key: string;
  /** JSON; never a secret (it is stored in the clear and may be shown to an operator). */
  payload: unknown;
}

/** A message about an approval request, rendered from the request (key `request:<id>`). */
export interface RequestRowFields extends RowBase {
  kind: RequestOutboxKind;
  requestId: string;
}

/** The message of a monitor alert group, rendered from the alert at delivery (key `alert:<groupKey>`). */
export interface AlertRowFields extends RowBase {
  kind: AlertOutboxKind;
  /** The finding key the alert is stored under in the alerts table. */
  alertKey: string;
}

/** A channel notice whose payload is the rendered message (key `notice:<name>`). */
export interface NoticeRowFields extends RowBase {
  kind: NoticeOutboxKind;
}

/** A digest of many alerts; the payload names the digest (`{ digestId }`), rendered at delivery. */
export interface DigestRowFields extends RowBase {
  kind: DigestOutboxKind;
}

/** The DM asking a colleague about an alert, rendered from the ask at delivery (key `ask:<alertKey>`). */
export interface AskRowFields extends RowBase {
  kind: AskOutboxKind;
  /** The alert the ask is stored under in `user_asks` (kept in the alert_key column). */
  alertKey: string;
}

/** The last error of a row whose earlier delivery attempt never finished (its lease expired, or its owner died). */
export const LEASE_EXPIRED = 'an earlier delivery attempt did not finish';

export type NewOutboxRow = RequestRowFields | AlertRowFields | NoticeRowFields | DigestRowFields | AskRowFields;

export interface OutboxRowMeta {
  id: number;
  priority: number;
  state: OutboxState;
  attempts: number;
  availableAt: Date;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  /** Slack may have performed the last attempt's call without the bot hearing back. */
  maybePerformed: boolean;
  createdAt: Date;
  updatedAt: Date;
  doneAt: Date | null;
}

export type RequestOutboxRow = RequestRowFields & OutboxRowMeta;
export type AlertOutboxRow = AlertRowFields & OutboxRowMeta;
export type NoticeOutboxRow = NoticeRowFields & OutboxRowMeta;
export type DigestOutboxRow = DigestRowFields & OutboxRowMeta;
export type AskOutboxRow = AskRowFields & OutboxRowMeta;
export type OutboxRow = RequestOutboxRow | AlertOutboxRow | NoticeOutboxRow | DigestOutboxRow | AskOutboxRow;

/**
 * The Slack outbox in the database. Delivery is claimed with a lease by compare-and-set, so two
 * replicas never send the same row, and a replica that died mid-delivery has its row taken over
 * once the lease runs out. Every write after the claim is guarded by the lease owner.
 */
export class OutboxStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async enqueue(input: NewOutboxRow, now: Date): Promise<OutboxRow> {
    const at = toIso(now);
    const row = await this.db
      .insertInto('slack_outbox')
      .values({
        key: input.key,
        kind: input.kind,
        request_id: 'requestId' in input ? input.requestId : null,
        alert_key: 'alertKey' in input ? input.alertKey : null,
        priority: priorityOf(input.kind),
        payload: toJsonText(input.payload),
        state: 'pending',
        attempts: 0,
        available_at: at,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        maybe_performed: 0,
        created_at: at,
        updated_at: at,
        done_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRow(row);
  }

  /** True when a row of this kind is still waiting (or being delivered) for the key. */
  async hasPending(key: string, kind: OutboxKind): Promise<boolean> {
    const row = await this.db
      .selectFrom('slack_outbox')
      .select('id')
      .where('key', '=', key)
      .where('kind', '=', kind)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The oldest pending row of each key, when it is due and nobody holds a live lease on it:
   * what may be delivered now, by priority, then oldest first. A row behind an undelivered one in
   * its key is never returned. `kinds` keeps only heads of those kinds (a key whose head is of
   * another kind offers nothing), so a caller can fetch the rows that post new messages apart
   * from the rest.
   */
  async listClaimable(now: Date, limit: number, kinds?: readonly OutboxKind[]): Promise<OutboxRow[]> {
    const at = toIso(now);
    if (kinds !== undefined && kinds.length === 0) return [];
    let query = this.db
      .selectFrom('slack_outbox as o')
      .selectAll('o')
      .where('o.state', '=', 'pending')
      .where('o.available_at', '<=', at)
      .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<', at)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('slack_outbox as p').select('p.id').whereRef('p.key', '=', 'o.key').where('p.state', '=', 'pending').whereRef('p.id', '<', 'o.id'),
          ),
        ),
      );
    if (kinds !== undefined) query = query.where('o.kind', 'in', [...kinds]);
    const rows = await query
      .orderBy('o.priority')
      .orderBy('o.id')
      .limit(Math.max(1, Math.floor(limit)))
      .execute();
    return rows.map(toRow);
  }

  /**
   * Takes the row for `owner` until `leaseUntil`; null when another replica holds it or it is no
   * longer pending. Taking over an expired lease records LEASE_EXPIRED as the row's last error: the
   * holder died (or hung) mid-delivery, so Slack may have performed its call.
   */
  async claim(id: number, owner: string, leaseUntil: Date, now: Date): Promise<OutboxRow | null> {
    const at = toIso(now);
    const row = await this.db
      .updateTable('slack_outbox')
      .set((eb) => ({
        lease_owner: owner,
        lease_until: toIso(leaseUntil),
        updated_at: at,
        last_error: eb.case().when('lease_owner', 'is not', null).then(LEASE_EXPIRED).else(eb.ref('last_error')).end(),
        maybe_performed: eb.case().when('lease_owner', 'is not', null).then(1).else(eb.ref('maybe_performed')).end(),
      }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .returningAll()
      .executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /**
   * Marks the pending updates queued behind a claimed update as merged into it: it renders the
   * request's (or alert's) state as read after this call, which is at least as new as theirs, so
   * they would only repeat it. Only updates of the same kind, and for alerts of the same alert
   * key, are merged: another alert of the group renders another row. Replies between them keep
   * their place; the message just shows its final state a little earlier than the replies that
   * lead there.
   */
  async mergeFollowingUpdates(claimed: OutboxRow, now: Date): Promise<number> {
    if (!MERGEABLE_KINDS.includes(claimed.kind)) return 0;
    const next = await this.db
      .selectFrom('slack_outbox')
      .select((eb) => eb.fn.max('id').as('last'))
      .where('key', '=', claimed.key)
      .where('state', '=', 'pending')
      .where('id', '>', claimed.id)
      .executeTakeFirst();
    const last = next?.last ?? null;
    if (last === null) return 0;
    const at = toIso(now);
    // Rows inserted after the select have larger ids than `last`: they may carry a newer state, so they stay.
    let merge = this.db
      .updateTable('slack_outbox')
      .set({ state: 'merged', done_at: at, updated_at: at })
      .where('key', '=', claimed.key)
      .where('state', '=', 'pending')
      .where('kind', '=', claimed.kind)
      .where('id', '>', claimed.id)
      .where('id', '<=', Number(last));
    if (claimed.kind === 'alert_update') merge = merge.where('alert_key', '=', claimed.alertKey);
    const res = await merge.executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async markSent(id: number, owner: string, now: Date): Promise<boolean> {
    return this.finish(id, owner, 'sent', null, now);
  }

  /** Gives up on the row for good (a permanent Slack error, or too old to matter). */
  async markDead(id: number, owner: string, error: string, now: Date): Promise<boolean> {
    return this.finish(id, owner, 'dead', error, now);
  }

  /**
   * Releases the lease and schedules the next attempt. `maybePerformed`: the failed call got no
   * answer, so Slack may have performed it (the next post is checked for first).
   */
  async reschedule(id: number, owner: string, availableAt: Date, error: string, now: Date, maybePerformed = false): Promise<boolean> {
    const res = await this.db
      .updateTable('slack_outbox')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        available_at: toIso(availableAt),
        maybe_performed: maybePerformed ? 1 : 0,
        lease_owner: null,
        lease_until: null,
        last_error: error,
        updated_at: toIso(now),
      }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Who holds live leases on pending rows. */
  async leaseOwners(now: Date): Promise<string[]> {
    const rows = await this.db
      .selectFrom('slack_outbox')
      .select('lease_owner')
      .distinct()
      .where('state', '=', 'pending')
      .where('lease_owner', 'is not', null)
      .where('lease_until', '>=', toIso(now))
      .execute();
    return rows.map((r) => r.lease_owner).filter((o): o is string => o !== null);
  }

  /** Frees the leases of an owner known to be dead, so its rows are delivered now rather than when the leases run out. */
  async releaseLeases(owner: string, now: Date): Promise<number> {
    const res = await this.db
      .updateTable('slack_outbox')
      // The dead owner may have been mid-call: the next attempt treats the row as possibly delivered.
      .set({ lease_owner: null, lease_until: null, updated_at: toIso(now), last_error: LEASE_EXPIRED, maybe_performed: 1 })
      .where('state', '=', 'pending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** When the dispatcher should look again: the earliest time a pending row is due and not leased. */
  async nextWakeAt(): Promise<Date | null> {
    const row = await this.db
      .selectFrom('slack_outbox')
      .select((eb) =>
        eb.fn
          .min(
            eb
              .case()
              .when(eb.and([eb('lease_until', 'is not', null), eb('lease_until', '>', eb.ref('available_at'))]))
              .then(eb.ref('lease_until'))
              .else(eb.ref('available_at'))
              .end(),
          )
          .as('wake'),
      )
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return typeof row?.wake === 'string' ? fromIso(row.wake) : null;
  }

  async countPending(): Promise<number> {
    const row = await this.db
      .selectFrom('slack_outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Every row of a key (`alert:<groupKey>`, `notice:<name>`, `request:<id>`), oldest first (operators and tests). */
  async listForKey(key: string): Promise<OutboxRow[]> {
    const rows = await this.db.selectFrom('slack_outbox').selectAll().where('key', '=', key).orderBy('id').execute();
    return rows.map(toRow);
  }

  /** Dead-lettered rows, newest first (the operator's list; `npm run outbox -- list`). */
  async listDead(limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .selectFrom('slack_outbox')
      .selectAll()
      .where('state', '=', 'dead')
      .orderBy('id', 'desc')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map(toRow);
  }

  /**
   * Puts a dead-lettered row back in the queue (an operator's replay, once the cause is fixed): due
   * now, with a fresh age so the age limit that may have killed it starts again. Compare-and-set on
   * the state: a row already replayed (or never dead) is left alone and null comes back.
   */
  async replayDead(id: number, now: Date): Promise<OutboxRow | null> {
    const at = toIso(now);
    const res = await this.db
      .updateTable('slack_outbox')
      .set({ state: 'pending', attempts: 0, available_at: at, created_at: at, done_at: null, lease_owner: null, lease_until: null, updated_at: at })
      .where('id', '=', id)
      .where('state', '=', 'dead')
      .executeTakeFirst();
    if (res.numUpdatedRows === 0n) return null;
    const row = await this.db.selectFrom('slack_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /** Every row of a request, oldest first (operators and tests). */
  async listForRequest(requestId: string): Promise<OutboxRow[]> {
    const rows = await this.db.selectFrom('slack_outbox').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
    return rows.map(toRow);
  }

  private async finish(id: number, owner: string, state: 'sent' | 'dead', error: string | null, now: Date): Promise<boolean> {
    const at = toIso(now);
    const res = await this.db
      .updateTable('slack_outbox')
      .set((eb) => ({
        state,
        attempts: eb('attempts', '+', 1),
        lease_owner: null,
        lease_until: null,
        last_error: error,
        done_at: at,
        updated_at: at,
      }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }
}

function asKind(s: string): OutboxKind {
  if ((OUTBOX_KINDS as readonly string[]).includes(s)) return s as OutboxKind;
  throw new Error(`the database: stored outbox kind is unknown: ${s}`);
}

function isAlertKind(kind: OutboxKind): kind is AlertOutboxKind {
  return (ALERT_OUTBOX_KINDS as readonly string[]).includes(kind);
}

function isAskKind(kind: OutboxKind): kind is AskOutboxKind {
  return (ASK_OUTBOX_KINDS as readonly string[]).includes(kind);
}

function asState(s: string): OutboxState {
  if ((OUTBOX_STATES as readonly string[]).includes(s)) return s as OutboxState;
  throw new Error(`the database: stored outbox state is unknown: ${s}`);
}

function toRow(row: Selectable<SlackOutboxTable>): OutboxRow {
  const meta: OutboxRowMeta = {
    id: Number(row.id),
    priority: row.priority,
    state: asState(row.state),
    attempts: row.attempts,
    availableAt: fromIso(row.available_at),
    leaseOwner: row.lease_owner,
    leaseUntil: fromIsoOrNull(row.lease_until),
    lastError: row.last_error,
    maybePerformed: row.maybe_performed === 1,
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
    doneAt: fromIsoOrNull(row.done_at),
  };
  const kind = asKind(row.kind);
  const payload = fromJsonText(row.payload);
  if (kind === 'notice') return { ...meta, key: row.key, kind, payload };
  if (kind === 'alert_digest') return { ...meta, key: row.key, kind, payload };
  if (isAlertKind(kind)) {
    if (row.alert_key === null) throw new Error(`the database: outbox row ${meta.id} (${kind}) has no alert_key`);
    return { ...meta, key: row.key, kind, alertKey: row.alert_key, payload };
  }
  if (isAskKind(kind)) {
    if (row.alert_key === null) throw new Error(`the database: outbox row ${meta.id} (${kind}) has no alert_key`);
    return { ...meta, key: row.key, kind, alertKey: row.alert_key, payload };
  }
  if (row.request_id === null) throw new Error(`the database: outbox row ${meta.id} (${kind}) has no request_id`);
  return { ...meta, key: row.key, kind, requestId: row.request_id, payload };
}
