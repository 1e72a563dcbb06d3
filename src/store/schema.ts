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
}

/** A single row (id = 1) that every append locks, so the chain has exactly one head. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AlertsTable {
  key: string;
  first_seen_at: string;
  last_seen_at: string;
  channel_id: string | null;
  message_ts: string | null;
}

export interface Tables {
  requests: RequestsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  alerts: AlertsTable;
}
