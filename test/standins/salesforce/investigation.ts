import { HttpReply, notFound, sfError } from './http';
import type { Org, SfRecord } from './org';
import { holds } from './permissions';

/**
 * What a session touched, as an org keeps it: Setup Audit Trail, Verification History and event
 * log files (issue 18), with the permissions and licence that hide them.
 *
 * Access follows the object reference: SetupAuditTrail needs View Setup and Configuration,
 * EventLogFile needs View Event Log Files (both with API Enabled), held by the caller through its
 * permission sets (permissions.ts, where the query denials are made). Salesforce answers a query on
 * an object the caller may not see as if the object did not exist (INVALID_TYPE, "sObject type …
 * is not supported"); that this is also what it answers for these two objects is the general
 * behaviour, not confirmed for them in a live org. Without Event Monitoring (Shield or the add-on)
 * an org only produces the free event types, kept one day.
 */
export interface InvestigationAccess {
  /** The org has Event Monitoring: every event type, hourly files, 30 days. */
  eventMonitoring: boolean;
}

/** Event types every org gets without the add-on (Login, Logout, API Total Usage; a day's retention). */
export const FREE_EVENT_TYPES = ['Login', 'Logout', 'ApiTotalUsage'] as const;

/**
 * Documented columns of each event type's CSV (EventLogFile supported event types, object
 * reference). The order within a file is Salesforce's to choose and has changed between releases,
 * so a reader must go by the header line, never by position.
 */
export const EVENT_LOG_HEADERS: Record<string, readonly string[]> = {
  Login: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'RUN_TIME',
    'CPU_TIME',
    'URI',
    'SESSION_KEY',
    'LOGIN_KEY',
    'USER_TYPE',
    'REQUEST_STATUS',
    'DB_TOTAL_TIME',
    'LOGIN_TYPE',
    'BROWSER_TYPE',
    'API_TYPE',
    'API_VERSION',
    'USER_NAME',
    'TLS_PROTOCOL',
    'CIPHER_SUITE',
    'AUTHENTICATION_METHOD_REFERENCE',
    'LOGIN_STATUS',
    'SOURCE_IP',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED',
    'CLIENT_IP',
    'URI_ID_DERIVED',
  ],
  Logout: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'SESSION_KEY',
    'LOGIN_KEY',
    'USER_TYPE',
    'APP_TYPE',
    'BROWSER_TYPE',
    'PLATFORM_TYPE',
    'RESOLUTION_TYPE',
    'CLIENT_VERSION',
    'API_TYPE',
    'API_VERSION',
    'USER_INITIATED_LOGOUT',
    'SESSION_LEVEL',
    'SESSION_TYPE',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED',
    'CLIENT_IP',
  ],
  ApiTotalUsage: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'API_FAMILY',
    'API_VERSION',
    'API_RESOURCE',
    'CLIENT_NAME',
    'HTTP_METHOD',
    'CLIENT_IP',
    'COUNTS_AGAINST_API_LIMIT',
    'CONNECTED_APP_ID',
    'CONNECTED_APP_NAME',
    'ENTITY_NAME',
    'STATUS_CODE',
    'USER_ID_DERIVED',
    'TIMESTAMP_DERIVED',
  ],
  API: [
    'EVENT_TYPE',
    'TIMESTAMP',
    'REQUEST_ID',
    'ORGANIZATION_ID',
    'USER_ID',
    'RUN_TIME',
    'CPU_TIME',
    'URI',
    'SESSION_KEY',
    'LOGIN_KEY',
    'USER_TYPE',
    'REQUEST_STATUS',
    'DB_TOTAL_TIME',
    'METHOD_NAME',
    'API_TYPE',
    'API_VERSION',
    'CLIENT_NAME',
    'ENTITY_NAME',
    'ROWS_PROCESSED',
    'REQUEST_SIZE',
    'RESPONSE_SIZE',
    'CONNECTED_APP_ID',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED',
    'CLIENT_IP',
  ],
};

const access = new WeakMap<Org, InvestigationAccess>();
const bodies = new WeakMap<Org, Map<string, string>>();

/** The org's licence, mutable by a test; by default the org has no Event Monitoring, like most orgs. */
export function investigationAccess(org: Org): InvestigationAccess {
  let a = access.get(org);
  if (!a) {
    a = { eventMonitoring: false };
    access.set(org, a);
  }
  return a;
}

export interface AuditRow {
  action: string;
  section: string | null;
  display: string;
  createdById: string;
  at: Date;
  delegateUser?: string | null;
}

export function addSetupAuditTrail(org: Org, row: AuditRow): string {
  const r = org.insert('SetupAuditTrail', {
    Action: row.action,
    Section: row.section,
    Display: row.display,
    CreatedById: row.createdById,
    CreatedDate: row.at.toISOString(),
    DelegateUser: row.delegateUser ?? null,
  });
  return r.Id as string;
}

export interface VerificationRow {
  userId: string;
  at: Date;
  activity: string;
  method: string;
  status: string;
  policy: string;
  sourceIp: string | null;
  loginHistoryId?: string | null;
  remarks?: string | null;
}

export function addVerification(org: Org, row: VerificationRow): string {
  const r = org.insert('VerificationHistory', {
    UserId: row.userId,
    VerificationTime: row.at.toISOString(),
    CreatedDate: row.at.toISOString(),
    Activity: row.activity,
    VerificationMethod: row.method,
    Status: row.status,
    Policy: row.policy,
    SourceIp: row.sourceIp,
    LoginHistoryId: row.loginHistoryId ?? null,
    Remarks: row.remarks ?? null,
    EventGroup: 1,
  });
  return r.Id as string;
}

/** CSV the way event log files are written: every value quoted, CRLF-free lines, "" for a quote. */
function csvLine(values: readonly string[]): string {
  return values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
}

export interface EventLogFileSpec {
  eventType: string;
  /** Start of the day (Daily) or hour (Hourly) the file covers. */
  logDate: Date;
  interval?: 'Daily' | 'Hourly';
  /** One object per line, keyed by the documented column names; missing columns are empty. */
  lines: Array<Record<string, string>>;
}

/**
 * Adds an event log file and its CSV body. A type outside the free ones is refused unless the org
 * has Event Monitoring: without the licence the org would never have produced it.
 */
export function addEventLogFile(org: Org, spec: EventLogFileSpec): string {
  const free = (FREE_EVENT_TYPES as readonly string[]).includes(spec.eventType);
  if (!free && !investigationAccess(org).eventMonitoring) {
    throw new Error(`${spec.eventType} event log files need Event Monitoring; set investigationAccess(org).eventMonitoring first`);
  }
  // Hourly files are an Event Monitoring feature too; the free tier writes one file a day.
  if (spec.interval === 'Hourly' && !investigationAccess(org).eventMonitoring) {
    throw new Error('hourly event log files need Event Monitoring; set investigationAccess(org).eventMonitoring first');
  }
  const headers = EVENT_LOG_HEADERS[spec.eventType];
  if (!headers) throw new Error(`no documented headers for event type ${spec.eventType} in the stand-in`);
  for (const line of spec.lines) {
    for (const k of Object.keys(line)) if (!headers.includes(k)) throw new Error(`${spec.eventType} has no column ${k}`);
  }
  const csv = [csvLine(headers), ...spec.lines.map((l) => csvLine(headers.map((h) => l[h] ?? '')))].join('\n') + '\n';
  const record: SfRecord = org.insert('EventLogFile', {
    EventType: spec.eventType,
    LogDate: spec.logDate.toISOString(),
    Interval: spec.interval ?? 'Daily',
    Sequence: spec.interval === 'Hourly' ? 1 : 0,
    LogFileLength: Buffer.byteLength(csv),
    LogFileContentType: 'CSV',
    LogFileFieldNames: headers.join(','),
    ApiVersion: 62,
    CreatedDate: spec.logDate.toISOString(),
  });
  const id = record.Id as string;
  let m = bodies.get(org);
  if (!m) {
    m = new Map();
    bodies.set(org, m);
  }
  m.set(id, csv);
  return id;
}

/**
 * Event Monitoring's storage objects are not there without the licence: a query gets INVALID_TYPE
 * (the object reference: "requires either the Salesforce Shield or Salesforce Event Monitoring
 * add-on subscription and the View Real-Time Event Monitoring Data user permission").
 */
export function licenceDenials(org: Org, denied: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  if (investigationAccess(org).eventMonitoring) return denied;
  const out = new Map(denied);
  for (const name of EVENT_MONITORING_OBJECTS) if (!out.has(name)) out.set(name, 'INVALID_TYPE');
  return out;
}

const EVENT_MONITORING_OBJECTS = ['apievent', 'reportevent'];

export interface SessionEventRow {
  object: 'ApiEvent' | 'ReportEvent';
  userId: string;
  username: string;
  at: Date;
  loginHistoryId: string | null;
  sourceIp: string;
  operation: string;
  entities: string;
  rows: number;
  reportId?: string;
}

/** An Event Monitoring event of a session (the org must have the licence). */
export function addSessionEvent(org: Org, e: SessionEventRow): string {
  if (!investigationAccess(org).eventMonitoring) throw new Error('session events need Event Monitoring; set investigationAccess(org).eventMonitoring first');
  const r = org.insert(e.object, {
    EventDate: e.at.toISOString(),
    EventIdentifier: `${e.object}-${e.at.getTime()}-${org.count(e.object) + 1}`,
    UserId: e.userId,
    Username: e.username,
    LoginKey: e.loginHistoryId ? `LK${e.loginHistoryId.slice(-10)}` : null,
    SessionKey: null,
    LoginHistoryId: e.loginHistoryId,
    SourceIp: e.sourceIp,
    Operation: e.operation,
    QueriedEntities: e.entities,
    RowsProcessed: e.rows,
    ...(e.object === 'ReportEvent' ? { ReportId: e.reportId ?? null } : {}),
  });
  return r.Id as string;
}

/** `GET /sobjects/EventLogFile/<id>/LogFile`: the CSV itself (a blob: never inside a Composite call). */
export function logFileBody(org: Org, method: string, id: string, callerUserId: string): HttpReply {
  if (method !== 'GET') return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET`);
  if (!holds(org, callerUserId, 'PermissionsViewEventLogFiles')) return notFound();
  const record = org.get(id) ?? [...org.all('EventLogFile')].find((r) => typeof r.Id === 'string' && r.Id.slice(0, 15) === id.slice(0, 15));
  const body = record ? bodies.get(org)?.get(record.Id as string) : undefined;
  if (!body) return notFound();
  return new HttpReply(200, body, { 'content-type': 'text/csv' });
}
