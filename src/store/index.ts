export { openDatabase, type Database, type Dialect, type OpenOptions } from './database';
export { findStoreError, isStoreError, StoreError, type StoreErrorKind } from './errors';
export { DEFAULT_HEALTH_TIMEOUT_MS, type DatabaseHealth } from './health';
export { RequestsStore, type ApprovalOutcome, type TransitionPatch, type UpdatePatch } from './requests-store';
export {
  AuditStore,
  auditHash,
  canonicalJson,
  GENESIS_HASH,
  type AuditEntry,
  type AuditEvent,
  type AuditInput,
  type AuditStoreOptions,
  type ChainAnchoring,
  type ChainHead,
  type ChainReport,
  type ChainVerification,
  type VerifyOptions,
} from './audit-store';
export { AUDIT_HMAC_KEY_MIN_LENGTH } from './audit-anchor';
export { formatChainHead, parseChainHead } from './chain-head';
export { AlertsStore, type AlertRecord } from './alerts-store';
export { OutboxStore, OUTBOX_KINDS, type OutboxKind, type OutboxRow, type OutboxState, type NewOutboxRow } from './outbox-store';
export { connectionUrlOf } from './database';
export type { AlertState } from './alerts-store';
export { MonitorStore, type MirrorChange, type ScanOutcome } from './monitor-store';
export {
  MonitorStateStore,
  BUDGET_STATES,
  type BudgetState,
  type MonitorStateKey,
  type MonitorStateValues,
  type MonitorTimeKey,
  type StateEntry,
} from './monitor-state-store';
export { acquireLeadership, leaderLockKey, type LeaderLock, type LeaderLockOptions } from './leader-lock';
export { AsksStore, type NewAsk } from './asks-store';
export { AlertEscalations, type AlertEscalation } from './alert-escalations';
