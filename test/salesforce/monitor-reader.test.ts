import { setTimeout as sleep } from 'node:timers/promises';
import { SalesforceError } from '../../src/salesforce/errors';
import { MONITOR_PAGE_SIZE } from '../../src/salesforce/monitor-reader';
import type { LoginEvent, Session } from '../../src/domain/types';
import { addLogin, addSessionFamily, addUser, addUserWithSessions, generateOrg } from '../standins/salesforce/generator';
import type { Org } from '../standins/salesforce/org';
import { PLACES } from '../standins/salesforce/places';
import type { RecordedRequest } from '../standins/salesforce/server';
import { compromisedUser, quietUser } from '../standins/salesforce/scenarios';
import { monitorFixture, type MonitorFixture } from '../support/monitor-fixture';

const NOW = new Date();
const MINUTE_MS = 60_000;
const OVERLAP_MS = 2 * MINUTE_MS;
const LONG_AGO = new Date(NOW.getTime() - 365 * 86_400_000);

let fx: MonitorFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** The SOQL of every query a call carried: the Composite subrequests, or the query string of a GET. */
function soqlOf(call: RecordedRequest): string[] {
  if (call.method === 'POST') {
    const body = JSON.parse(call.body) as { compositeRequest: { url: string }[] };
    return body.compositeRequest.map((sub) => new URL(sub.url, 'http://x').searchParams.get('q') ?? '');
  }
  const q = new URLSearchParams(call.query).get('q');
  return q === null ? [] : [q];
}

function ids(rows: readonly { id: string }[]): string[] {
  return rows.map((r) => r.id);
}

function sortedIds(values: Iterable<string>): string[] {
  return [...values].sort();
}

function orgIds(org: Org, objectName: string, keep: (r: Record<string, unknown>) => boolean = () => true): string[] {
  return sortedIds([...org.all(objectName)].filter(keep).map((r) => r.Id as string));
}

/** What the monitor does on first start: a full scan and a login backfill, giving both watermarks. */
async function prime(f: MonitorFixture): Promise<{ sessionIds: Set<string>; loginIds: Set<string>; sessionsSince: Date; loginsSince: Date }> {
  const sessionIds = new Set<string>();
  const loginIds = new Set<string>();
  let sessionsSince = LONG_AGO;
  await f.reader.fullScan((page) => {
    for (const s of page) {
      sessionIds.add(s.id);
      if (s.createdAt > sessionsSince) sessionsSince = s.createdAt;
    }
  });
  const backfill = await f.reader.backfillLogins(LONG_AGO, (page) => {
    for (const l of page) loginIds.add(l.id);
  });
  return { sessionIds, loginIds, sessionsSince, loginsSince: backfill.newestLoginAt ?? LONG_AGO };
}

describe('MonitorReader.poll', () => {
  it.each([
    { users: 10, sessions: 40, loginRows: 200 },
    { users: 10_000, sessions: 20_000, loginRows: 40_000 },
  ])('costs exactly one REST call when nothing is new ($users users, $sessions sessions)', async ({ users, sessions, loginRows }) => {
    const { org } = generateOrg({ seed: users, now: NOW, users, sessions, loginRows });
    fx = await monitorFixture(org);
    const known = await prime(fx);
    expect(known.sessionIds.size).toBe(org.count('AuthSession'));
    expect(known.loginIds.size).toBe(org.count('LoginHistory'));
    fx.sf.resetRequests();
    const usageBefore = fx.sf.apiUsage();

    const result = await fx.reader.poll({ sessionsSince: known.sessionsSince, loginsSince: known.loginsSince, overlapMs: OVERLAP_MS });

    expect(result.calls).toBe(1);
    expect(fx.sf.apiCalls().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
    expect(fx.sf.apiUsage() - usageBefore).toBe(1);
    // Only the overlap comes back again, all of it already known: nothing new for the caller.
    expect(result.sessions.every((s) => known.sessionIds.has(s.id))).toBe(true);
    expect(result.logins.every((l) => known.loginIds.has(l.id))).toBe(true);
    expect(result.newestSessionAt).toEqual(known.sessionsSince);
    expect(result.newestLoginAt).toEqual(known.loginsSince);
  });

  it('finds new sessions and logins in the same single call, reading from watermark minus overlap', async () => {
    const s = quietUser({ now: NOW });
    fx = await monitorFixture(s.org);
    const known = await prime(fx);
    const { userId } = addUser(s.org, { username: 'mallory@acme.com' });
    const failedAt = new Date(NOW.getTime() + 10_000);
    const failed = [0, 1, 2].map((i) =>
      addLogin(s.org, { userId, at: new Date(failedAt.getTime() + i * 1000), sourceIp: '198.51.100.9', status: 'Invalid Password', place: PLACES[10] ?? null }),
    );
    const loginAt = new Date(NOW.getTime() + 20_000);
    const family = addSessionFamily(s.org, { userId, createdAt: loginAt, sourceIp: '198.51.100.9', place: PLACES[10] ?? null, children: ['Aura'] });
    fx.sf.resetRequests();

    const result = await fx.reader.poll({ sessionsSince: known.sessionsSince, loginsSince: known.loginsSince, overlapMs: OVERLAP_MS });

    expect(result.calls).toBe(1);
    const fresh = result.sessions.filter((x) => !known.sessionIds.has(x.id));
    expect(sortedIds(ids(fresh))).toEqual(sortedIds([family.rootId, ...family.childIds]));
    const freshLogins = result.logins.filter((x) => !known.loginIds.has(x.id));
    expect(ids(freshLogins)).toEqual([...failed, family.loginHistoryId]);
    expect(freshLogins.map((l) => l.success)).toEqual([false, false, false, true]);
    // The monitor reads the browser too (the rules learn a person's devices from it).
    expect(freshLogins[0]).toMatchObject({ userId, status: 'Invalid Password', sourceIp: '198.51.100.9', browser: expect.any(String) as unknown });
    expect(freshLogins[0]?.place?.countryIso).toBe(PLACES[10]?.countryIso);
    const root = result.sessions.find((x) => x.id === family.rootId) as Session;
    expect(root).toMatchObject({ userId, parentId: null, sessionType: 'UI', sourceIp: '198.51.100.9', securityLevel: null });
    expect(root.login?.loginTime).toEqual(loginAt);
    expect(root.place?.city).toBe(PLACES[10]?.city);
    const child = result.sessions.find((x) => x.id === family.childIds[0]) as Session;
    expect(child.parentId).toBe(family.rootId);
    // Oldest first, so the last row carries the new watermark.
    expect(result.newestSessionAt).toEqual(result.sessions.at(-1)?.createdAt);
    expect(result.newestLoginAt).toEqual(loginAt);

    const [sessionsSoql, loginsSoql] = soqlOf(fx.sf.apiCalls()[0] as RecordedRequest);
    const literal = (d: Date, overlap: number): string => new Date(d.getTime() - overlap).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(sessionsSoql).toContain(`FROM AuthSession WHERE CreatedDate >= ${literal(known.sessionsSince, OVERLAP_MS)} ORDER BY CreatedDate, Id`);
    expect(loginsSoql).toContain(`FROM LoginHistory WHERE LoginTime >= ${literal(known.loginsSince, OVERLAP_MS)} ORDER BY LoginTime, Id`);
  });

  it('follows nextRecordsUrl only for a query Salesforce says is not done (its first page may be shorter than asked)', async () => {
    const s = quietUser({ now: NOW });
    addUserWithSessions(s.org, { username: 'busy@acme.com', count: 2_500, seed: 4, now: NOW });
    fx = await monitorFixture(s.org);
    const totalSessions = s.org.count('AuthSession');
    const totalLogins = s.org.count('LoginHistory');
    expect(totalSessions).toBeGreaterThan(MONITOR_PAGE_SIZE);
    expect(totalLogins).toBeLessThanOrEqual(MONITOR_PAGE_SIZE);

    const result = await fx.reader.poll({ sessionsSince: LONG_AGO, loginsSince: LONG_AGO, overlapMs: OVERLAP_MS });

    expect(result.calls).toBe(2);
    const calls = fx.sf.apiCalls();
    expect(calls.map((c) => c.method)).toEqual(['POST', 'GET']);
    expect(calls[1]?.path).toMatch(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-\d+$/);
    expect(sortedIds(ids(result.sessions))).toEqual(orgIds(s.org, 'AuthSession'));
    expect(sortedIds(ids(result.logins))).toEqual(orgIds(s.org, 'LoginHistory'));
    const order = result.sessions.map((x) => [x.createdAt.getTime(), x.id] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    // The monitor's page size holds whatever the rest it was given uses for /sessions (500 here).
    const sent = JSON.parse(calls[0]?.body ?? '{}') as { compositeRequest: { httpHeaders: Record<string, string> }[] };
    expect(sent.compositeRequest.map((r) => r.httpHeaders['Sforce-Query-Options'])).toEqual(['batchSize=2000', 'batchSize=2000']);
  });

  it('fails with the Salesforce error of a refused sub-query, naming the object', async () => {
    const s = quietUser({ now: NOW });
    fx = await monitorFixture(s.org);
    fx.sf.faults.denyObject('LoginHistory', 'INSUFFICIENT_ACCESS_OR_READONLY');
    const poll = fx.reader.poll({ sessionsSince: NOW, loginsSince: NOW, overlapMs: OVERLAP_MS });
    await expect(poll).rejects.toBeInstanceOf(SalesforceError);
    await expect(poll).rejects.toMatchObject({ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' });
    await expect(poll).rejects.toThrow(/LoginHistory/);
  });

  it('refuses a negative overlap before calling Salesforce', async () => {
    const s = quietUser({ now: NOW });
    fx = await monitorFixture(s.org);
    await expect(fx.reader.poll({ sessionsSince: NOW, loginsSince: NOW, overlapMs: -1 })).rejects.toThrow(RangeError);
    expect(fx.sf.apiCalls()).toEqual([]);
  });
});

/** Opens ten query cursors as the bot (other work of the same integration user): Salesforce then releases its oldest one. Needs > 200 logins. */
async function openTenCursors(f: MonitorFixture): Promise<void> {
  const q = encodeURIComponent('SELECT Id FROM LoginHistory');
  for (let i = 0; i < 10; i += 1) {
    const page = await f.conn.request<{ done: boolean }>({
      method: 'GET',
      url: `/services/data/v62.0/query?q=${q}`,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(page.done).toBe(false);
  }
}

describe('a query cursor released mid-read (INVALID_QUERY_LOCATOR)', () => {
  it('the full scan picks up after the last Id it read: every session once, one extra call', async () => {
    const { org } = generateOrg({ seed: 7, now: NOW, users: 100, sessions: 4_999, loginRows: 5_000 });
    fx = await monitorFixture(org);
    const f = fx;
    const seen: string[] = [];
    let pages = 0;
    const result = await f.reader.fullScan(async (page) => {
      pages += 1;
      seen.push(...page.map((s) => s.id));
      if (pages === 1) await openTenCursors(f);
    });
    expect(seen).toHaveLength(5_000);
    expect(new Set(seen).size).toBe(5_000);
    expect(sortedIds(seen)).toEqual(orgIds(org, 'AuthSession'));
    const refused = f.sf.apiCalls().filter((c) => c.status === 400);
    expect(refused).toHaveLength(1);
    // A short first page (1,000), the refused queryMore, then the resumed query's two pages of 2,000
    // (the ten calls that opened other cursors are not the scan's).
    expect(result.calls).toBe(4);
  });

  it('the login backfill picks up after the last (LoginTime, Id) it read', async () => {
    const { org } = generateOrg({ seed: 8, now: NOW, users: 50, sessions: 100, loginRows: 4_500 });
    fx = await monitorFixture(org);
    const f = fx;
    const seen: string[] = [];
    let pages = 0;
    const result = await f.reader.backfillLogins(LONG_AGO, async (page) => {
      pages += 1;
      seen.push(...page.map((l) => l.id));
      if (pages === 1) await openTenCursors(f);
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(sortedIds(seen)).toEqual(orgIds(org, 'LoginHistory'));
    expect(result.rows).toBe(seen.length);
  });
});

describe('MonitorReader.fullScan', () => {
  // 100,000 sessions → 50 calls takes ~14 s here (timeout 20 s on a shared 2-core box): npm run bench:monitor measures it.
  it('reads 10,000 live sessions in exactly 5 calls, a page of 2,000 at a time', async () => {
    // 9,999 generated + the bot's own session, created when its token is issued.
    const { org } = generateOrg({ seed: 100, now: NOW, users: 500, sessions: 9_999, loginRows: 5_000 });
    fx = await monitorFixture(org);
    expect(org.count('AuthSession')).toBe(10_000);
    const pageSizes: number[] = [];
    const seen = new Set<string>();
    let current: Session | undefined;
    const handledAt: number[] = [];

    const result = await fx.reader.fullScan(async (page) => {
      pageSizes.push(page.length);
      for (const session of page) {
        seen.add(session.id);
        if (session.isCurrent) current = session;
      }
      await sleep(5); // a store write
      handledAt.push(Date.now());
    });

    expect(result).toEqual({ sessions: 10_000, calls: 5 });
    expect(fx.sf.apiCalls()).toHaveLength(5);
    expect(pageSizes).toEqual(Array.from({ length: 5 }, () => 2_000));
    expect(seen.size).toBe(10_000);
    // Each page is handled before the next is asked for: never more than one page in flight.
    const started = fx.sf.apiCalls().map((c) => c.started);
    for (let i = 1; i < started.length; i++) expect(started[i]).toBeGreaterThanOrEqual(handledAt[i - 1] as number);
    expect(current?.sessionType).toBe('Oauth2');
    const [soql] = soqlOf(fx.sf.apiCalls()[0] as RecordedRequest);
    expect(soql).toMatch(/^SELECT .* FROM AuthSession ORDER BY Id$/);
    // Display-only: the security level. Browser, platform and application are what the rules learn devices from.
    expect(soql).not.toContain('SessionSecurityLevel');
  });

  it('maps what the rules read: family links, login time, place, expiry and the bot mark', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await monitorFixture(s.org);
    const sessions: Session[] = [];
    const result = await fx.reader.fullScan((page) => {
      sessions.push(...page);
    });
    expect(result.calls).toBe(1);
    expect(sortedIds(ids(sessions))).toEqual(orgIds(s.org, 'AuthSession'));
    for (const session of sessions) {
      const row = s.org.get(session.id) as Record<string, unknown>;
      expect(session.userId).toBe(row.UsersId);
      expect(session.parentId).toBe(row.ParentId === row.Id ? null : row.ParentId);
      expect(session.createdAt).toEqual(new Date(row.CreatedDate as string));
      expect(session.expiresAt.getTime()).toBe(new Date(row.LastModifiedDate as string).getTime() + (row.NumSecondsValid as number) * 1000);
      const loginRow = row.LoginHistoryId ? (s.org.get(row.LoginHistoryId as string) as Record<string, unknown>) : null;
      expect(session.login?.loginTime ?? null).toEqual(loginRow ? new Date(loginRow.LoginTime as string) : null);
      const geo = row.LoginGeoId ? (s.org.get(row.LoginGeoId as string) as Record<string, unknown>) : null;
      expect(session.place?.countryIso ?? null).toBe(geo ? geo.CountryIso : null);
    }
    expect(sessions.filter((x) => x.isCurrent).map((x) => x.userId)).toEqual([s.botUserId]);
  });
});

describe('MonitorReader.backfillLogins', () => {
  it('pages 10,000 logins in 5 calls, oldest first, reporting progress after each page', async () => {
    // 9,999 generated + the bot's own login when its token is issued.
    const { org } = generateOrg({ seed: 10, now: NOW, users: 300, sessions: 600, loginRows: 9_999 });
    fx = await monitorFixture(org);
    expect(org.count('LoginHistory')).toBe(10_000);
    const progress: { rows: number; calls: number }[] = [];
    const logins: LoginEvent[] = [];

    const result = await fx.reader.backfillLogins(
      LONG_AGO,
      (page) => {
        logins.push(...page);
      },
      (p) => progress.push(p),
    );

    expect(result.rows).toBe(10_000);
    expect(result.calls).toBe(5);
    expect(fx.sf.apiCalls()).toHaveLength(5);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((n) => ({ rows: n * 2_000, calls: n })));
    expect(sortedIds(ids(logins))).toEqual(orgIds(org, 'LoginHistory'));
    const times = logins.map((l) => l.loginTime.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(result.newestLoginAt).toEqual(logins.at(-1)?.loginTime);
    expect(logins.some((l) => !l.success)).toBe(true);
  });

  it('reads only logins at or after `since`', async () => {
    const { org } = generateOrg({ seed: 11, now: NOW, users: 50, sessions: 100, loginRows: 3_000 });
    fx = await monitorFixture(org);
    // Whole seconds: SOQL datetime literals carry no milliseconds.
    const since = new Date(Math.floor((NOW.getTime() - 24 * 60 * MINUTE_MS) / 1000) * 1000);
    const logins: LoginEvent[] = [];
    const result = await fx.reader.backfillLogins(since, (page) => {
      logins.push(...page);
    });
    const expected = orgIds(org, 'LoginHistory', (r) => new Date(r.LoginTime as string) >= since);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(org.count('LoginHistory'));
    expect(sortedIds(ids(logins))).toEqual(expected);
    expect(result).toMatchObject({ rows: expected.length, calls: Math.max(1, Math.ceil(expected.length / 2_000)) });
  });
});
