import { changesInWindow } from '../../src/domain/investigation';
import { eventLogTime, parseEventLogCsv } from '../../src/salesforce/event-log-csv';
import { InvestigationReader } from '../../src/salesforce/investigation-reader';
import { addEventLogFile, addSessionEvent, investigationAccess } from '../standins/salesforce/investigation';
import { setPermission } from '../standins/salesforce/permissions';
import { IPS, withBot } from '../standins/salesforce/scenarios';
import { Org } from '../standins/salesforce/org';
import { addInvestigationScenario, INVESTIGATION_TEXT, type InvestigationScenario } from '../support/investigation-scenario';
import { sfFixture, type SfFixture } from '../support/sf-fixture';

const MINUTE_MS = 60_000;

describe('InvestigationReader against the stand-in', () => {
  const now = new Date();
  let fx: SfFixture;
  let org: Org;
  let ids: InvestigationScenario;
  let botUserId: string;

  beforeEach(async () => {
    org = new Org();
    botUserId = withBot(org).botUserId;
    ids = addInvestigationScenario(org, { now });
    fx = await sfFixture(org, { botUserId });
  });
  afterEach(async () => fx.close());

  const window = () => ({
    from: new Date(now.getTime() - 25 * MINUTE_MS),
    to: now,
    sessionIds: [ids.moscowRootId],
    sourceIps: [IPS.moscow],
  });

  it('reads audit trail, logins, verifications and the list of event log files in one Composite call', async () => {
    const read = await new InvestigationReader(fx.rest).read({ userId: ids.userId, username: 'bob@acme.com', window: window(), withApiCalls: false });
    expect(fx.calls().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
    expect(read.calls).toBe(1);
    if (read.setupChanges.kind !== 'read') throw new Error(read.setupChanges.detail);
    const shown = changesInWindow(read.setupChanges.rows, ids.userId, 'bob@acme.com', window());
    expect(shown.map((c) => c.id)).toEqual(ids.inSessionChangeIds);
    expect(shown.map((c) => c.display).join('\n')).not.toContain(INVESTIGATION_TEXT.others);
    expect(read.setupChanges.rows.map((c) => c.id)).not.toContain(ids.dayBeforeChangeId);
    expect(read.verifications).toMatchObject({ kind: 'read', rows: [{ id: ids.verificationId, method: 'Email', status: 'Succeeded' }] });
    expect(read.logins.kind === 'read' && read.logins.rows.map((l) => l.id)).toContain(ids.successLoginId);
    expect(read.eventLogs).toMatchObject({ kind: 'read', rows: [{ id: ids.apiTotalUsageFileId, eventType: 'ApiTotalUsage' }] });
    expect(read.eventMonitoring).toBe('not-licensed');
    expect(read.apiCalls).toBeNull();
  });

  it('fetches ApiTotalUsage bodies on request (one call per file) and keeps the lines of the user, address and window', async () => {
    const read = await new InvestigationReader(fx.rest).read({ userId: ids.userId, username: 'bob@acme.com', window: window(), withApiCalls: true });
    expect(fx.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /services/data/v62.0/composite',
      `GET /services/data/v62.0/sobjects/EventLogFile/${ids.apiTotalUsageFileId}/LogFile`,
    ]);
    expect(read.calls).toBe(2);
    expect(read.apiCalls).toMatchObject({
      kind: 'read',
      rows: [
        { entity: 'Account', method: 'GET', count: 3, clientIp: IPS.moscow, app: 'Exfil Sync' },
        { entity: 'Contact', method: 'POST', count: 1 },
      ],
    });
  });

  it('says which permission hides a source instead of reporting nothing', async () => {
    setPermission(org, botUserId, 'PermissionsViewSetup', false);
    setPermission(org, botUserId, 'PermissionsViewEventLogFiles', false);
    const read = await new InvestigationReader(fx.rest).read({ userId: ids.userId, username: 'bob@acme.com', window: window(), withApiCalls: true });
    expect(read.setupChanges).toMatchObject({ kind: 'unreadable', cause: 'permission' });
    expect(read.setupChanges.kind === 'unreadable' && read.setupChanges.detail).toContain('View Setup and Configuration');
    expect(read.eventLogs).toMatchObject({ kind: 'unreadable', cause: 'permission' });
    expect(read.eventLogs.kind === 'unreadable' && read.eventLogs.detail).toContain('View Event Log Files');
    expect(read.eventMonitoring).toBe('unknown');
    expect(read.apiCalls).toBeNull();
    expect(read.verifications.kind).toBe('read');
    expect(fx.calls()).toHaveLength(1);
  });

  it('says Login History and Verification History are hidden without Manage Users (the other sources stay readable)', async () => {
    setPermission(org, botUserId, 'PermissionsManageUsers', false);
    const reason = 'Login History is hidden from the bot: without Manage Users Salesforce shows it only its own logins.';
    const read = await new InvestigationReader(fx.rest, () => reason).read({
      userId: ids.userId,
      username: 'bob@acme.com',
      window: window(),
      withApiCalls: false,
    });
    // LoginHistory answers without an error (the bot's own rows only): the reader must say unknown, not "none".
    expect(read.logins).toEqual({ kind: 'unreadable', cause: 'permission', detail: reason });
    expect(read.verifications).toMatchObject({ kind: 'unreadable', cause: 'permission' });
    expect(read.verifications.kind === 'unreadable' && read.verifications.detail).toContain('Manage Users');
    expect(read.setupChanges.kind).toBe('read');
  });

  it('with Event Monitoring, reads the session’s own queries and reports for one more call; without it, the objects do not exist', async () => {
    await expect(fx.rest.queryAll('SELECT EventDate FROM ApiEvent')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    investigationAccess(org).eventMonitoring = true;
    const at = (m: number) => new Date(now.getTime() - m * MINUTE_MS);
    addEventLogFile(org, { eventType: 'API', logDate: at(60), interval: 'Hourly', lines: [] });
    const base = { userId: ids.userId, username: 'bob@acme.com', loginHistoryId: ids.successLoginId, rows: 0 };
    addSessionEvent(org, { ...base, object: 'ApiEvent', at: at(19), sourceIp: IPS.moscow, operation: 'Query', entities: 'Account', rows: 5000 });
    addSessionEvent(org, {
      ...base,
      object: 'ReportEvent',
      at: at(11),
      sourceIp: IPS.moscow,
      operation: 'ReportExported',
      entities: 'Opportunity',
      rows: 812,
      reportId: '00O000000000001',
    });
    addSessionEvent(org, { ...base, object: 'ApiEvent', at: at(9), sourceIp: IPS.sanFrancisco, operation: 'Query', entities: 'Lead' });
    addSessionEvent(org, { ...base, object: 'ApiEvent', at: at(40), sourceIp: IPS.moscow, operation: 'Query', entities: 'Case' });
    fx.sf.resetRequests();
    const read = await new InvestigationReader(fx.rest).read({ userId: ids.userId, username: 'bob@acme.com', window: window(), withApiCalls: true });
    expect(read.eventMonitoring).toBe('licensed');
    expect(read.calls).toBe(3);
    expect(fx.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /services/data/v62.0/composite',
      `GET /services/data/v62.0/sobjects/EventLogFile/${ids.apiTotalUsageFileId}/LogFile`,
      'POST /services/data/v62.0/composite',
    ]);
    expect(read.sessionEvents).toMatchObject({
      kind: 'read',
      rows: [
        { source: 'ReportEvent', operation: 'ReportExported', entities: 'Opportunity', rows: 812 },
        { source: 'ApiEvent', operation: 'Query', entities: 'Account', rows: 5000 },
      ],
    });
  });

  it('refuses a log file body inside a Composite call, as Salesforce documents', async () => {
    const res = await fx.rest.request<{ compositeResponse: Array<{ httpStatusCode: number }> }>('POST', `${fx.rest.base}/composite`, {
      allOrNone: false,
      compositeRequest: [{ method: 'GET', url: `${fx.rest.base}/sobjects/EventLogFile/${ids.apiTotalUsageFileId}/LogFile`, referenceId: 'blob' }],
    });
    expect(res.compositeResponse[0]?.httpStatusCode).toBe(400);
  });
});

describe('parseEventLogCsv', () => {
  it('reads columns by header name, with quoted commas, doubled quotes and line breaks inside values', () => {
    const text = '"EVENT_TYPE","TIMESTAMP","URI"\r\n"ApiTotalUsage","20261207101500.250","/a,b ""c""\nd"\n\n';
    const rows = parseEventLogCsv(text);
    expect(rows).toEqual([{ EVENT_TYPE: 'ApiTotalUsage', TIMESTAMP: '20261207101500.250', URI: '/a,b "c"\nd' }]);
    expect(eventLogTime(rows[0] ?? {})?.toISOString()).toBe('2026-12-07T10:15:00.250Z');
  });
});
