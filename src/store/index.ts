export { openDatabase, type Database, type Dialect, type OpenOptions } from './database';
export { findStoreError, isStoreError, StoreError, type StoreErrorKind } from './errors';
export { DEFAULT_HEALTH_TIMEOUT_MS, type DatabaseHealth } from './health';
export { RequestsStore, type ApprovalOutcome, type TransitionPatch, type UpdatePatch } from './requests-store';
export { AuditStore, auditHash, canonicalJson, GENESIS_HASH, type AuditEntry, type AuditEvent, type AuditInput, type AuditStoreOptions, type ChainAnchoring, type ChainHead, type ChainReport, type ChainVerification, type VerifyOptions } from './audit-store';
export { AUDIT_HMAC_KEY_MIN_LENGTH } from './audit-anchor';
export { formatChainHead, parseChainHead } from './chain-head';
export { AlertsStore, type AlertRecord } from './alerts-store';
export { OutboxStore, OUTBOX_KINDS, type OutboxKind, type OutboxRow, type OutboxState, type NewOutboxRow } from './outbox-store';
