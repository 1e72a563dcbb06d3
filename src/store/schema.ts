import type { Generated } from 'kysely';

/**
 * Row shapes as stored. Both databases use the same column types so one set of queries serves
 * both: timestamps are ISO-8601 UTC text (fixed width, so text order is time order) and JSON is
 * text. Conversion to Date / parsed JSON happens only in the stores.
 */
export interface RequestsTable {
  id: string;
  kind: string;
  state: string;
  /** Copied out of `target` so per-user history can use an index. */
  target_user_id: string;
  target: string;
  params: string;
  reason: string;
  requested_by: string;
  required_approvals: number;
  approvals: string;
  decided_by: string | null;
  channel_id: string | null;
  message_ts: string | null;
  evidence: string;
  result: string;
  created_at: string;
  updated_at: string;
  expires_at: string;
  verify_due_at: string | null;
  verified_at: string | null;
  version: number;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  request_id: string | null;
  target_user_id: string | null;
  actor: string;
  event: string;
  detail: string;
  prev_hash: string;
  hash: string;
  /** HMAC of `hash` under AUDIT_HMAC_KEY (migration 0002); null when written without the key. */
  mac: string | null;
}

/** A single row (id = 1) that every append locks, so the chain has exactly one head. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** HMAC of seq and hash under AUDIT_HMAC_KEY: a writer without the key cannot move the head. */
  mac: string | null;
}

/** One Slack alert per finding key (migration 0004); see src/store/alerts-store.ts. */
export interface AlertsTable {
  key: string;
  group_key: string;
  user_id: string;
  rule: string;
  severity: string;
  /** 'open' | 'resolved' | 'suppressed', moved by compare-and-set. */
  state: string;
  first_seen_at: string;
  last_seen_at: string;
  /** The Finding as tagged JSON (keeps its Dates). */
  finding: string;
  channel_id: string | null;
  message_ts: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  /** Migration 0005: set once when the alert was escalated (an unanswered or denied ask); see alert-escalations.ts. */
  escalated_at: string | null;
  /** Why, as a sentence (may name Slack users as <@U…>). */
  escalation: string | null;
  /** 1 while the alert waits for its person's answer before reaching the channel (migration 0009). */
  held: Generated<number>;
}

/** The monitor's mirror of live AuthSession rows; `data` is the whole Session as tagged JSON. */
export interface MonitorSessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  data: string;
}

/** The monitor's mirror of the LoginHistory window; `data` is the whole LoginEvent as tagged JSON. */
export interface MonitorLoginsTable {
  id: string;
  user_id: string;
  login_time: string;
  data: string;
  /** Lower-cased source address, or null (migration 0009). */
  source_ip: string | null;
  /** 1 for a successful login, 0 for a failure; null on rows mirrored before migration 0009. */
  succeeded: number | null;
}

/** Mirror sessions a running full scan has not seen listed yet. */
export interface MonitorScanPendingTable {
  scan_id: string;
  session_id: string;
}

/** The monitor's watermarks and counters, one row per key, versioned for compare-and-set. */
export interface MonitorUsersTable {
  id: string;
  data: string;
  updated_at: string;
}

export interface MonitorStateTable {
  key: string;
  value: string;
  version: number;
  updated_at: string;
}

/** One message the bot owes Slack; see src/store/outbox-store.ts. */
export interface SlackOutboxTable {
  /** Generated (SQLite rowid / PostgreSQL serial); orders rows within a key. */
  id: Generated<number>;
  key: string;
  kind: string;
  /** Set on request rows (post, update, reply, respond); null on alert and notice rows. */
  request_id: string | null;
  /** Set on alert rows: the finding key the alert is stored under in `alerts`; null otherwise. */
  alert_key: string | null;
  /** Lower goes first among the keys that are due: 0 requests and alerts, 1 channel notices. */
  priority: number;
  payload: string;
  state: string;
  attempts: number;
  available_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  /** 1 when Slack may have performed the last attempt's call without the bot hearing back (migration 0008). */
  maybe_performed: number;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

/** "Mark expected" decisions (migration 0006); see src/store/suppressions-store.ts. */
export interface SuppressionsTable {
  id: string;
  rule: string;
  user_id: string;
  /** 'user' | 'network' | 'app'. */
  scope_kind: string;
  scope_value: string;
  reason: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  removed_at: string | null;
  removed_by: string | null;
  alert_key: string | null;
  suppressed_count: Generated<number>;
}

/** An alert digest: one Slack message for a poll's storm of new alerts (migration 0007); see src/store/digests-store.ts. */
export interface AlertDigestsTable {
  id: string;
  created_at: string;
  total: number;
  channel_id: string | null;
  message_ts: string | null;
}

/** One alert of a digest, at its place worst-first (migration 0007). */
export interface AlertDigestMembersTable {
  alert_key: string;
  digest_id: string;
  position: number;
  rule: string;
  severity: string;
}

/** "Was this you?" asks, one per alert (migration 0005); see src/store/asks-store.ts. */
export interface UserAsksTable {
  alert_key: string;
  group_key: string;
  state: string;
  asked_by: string;
  email: string;
  slack_user_id: string | null;
  unreachable: string | null;
  tz: string | null;
  asked_at: string;
  due_at: string | null;
  answer: string | null;
  answered_at: string | null;
  outcome: string | null;
  dm_channel: string | null;
  dm_ts: string | null;
}

export interface Tables {
  requests: RequestsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  alerts: AlertsTable;
  monitor_sessions: MonitorSessionsTable;
  monitor_logins: MonitorLoginsTable;
  monitor_scan_pending: MonitorScanPendingTable;
  monitor_state: MonitorStateTable;
  monitor_users: MonitorUsersTable;
  slack_outbox: SlackOutboxTable;
  user_asks: UserAsksTable;
  alert_digests: AlertDigestsTable;
  alert_digest_members: AlertDigestMembersTable;
  suppressions: SuppressionsTable;
}
