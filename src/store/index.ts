export { openDatabase, type Database, type Dialect, type OpenOptions } from './database';
export { RequestsStore, type ApprovalOutcome, type TransitionPatch, type UpdatePatch } from './requests-store';
export { AuditStore, auditHash, canonicalJson, GENESIS_HASH, type AuditEntry, type AuditEvent, type AuditInput, type AuditStoreOptions, type ChainVerification } from './audit-store';
export { AlertsStore, type AlertRecord } from './alerts-store';
