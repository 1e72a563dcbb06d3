/**
 * The org view's read of Salesforce (src/salesforce/org-sessions-reader.ts) with real jsforce
 * against the stand-in: one Composite call for the first 2,000 sessions and the old tokens, one
 * call per further 2,000, at the page boundaries where an off-by-one would cost a call.
 */
import { Connection } from 'jsforce';
import { OrgSessionsReader } from '../../src/salesforce/org-sessions-reader';
import { SalesforceRest } from '../../src/salesforce/rest';
import { addOauthToken, addUser, addUserWithSessions, BOT_USERNAME, withBot } from '../standins/salesforce/generator';
import { Org } from '../standins/salesforce/org';

import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';

const NOW = new Date();
const DAY = 86_400_000;
const API_VERSION = '62.0';

let sf: SalesforceStandIn | undefined;
afterEach(async () => {
  await sf?.close();
  sf = undefined;
});

async function readerFor(org: Org): Promise<OrgSessionsReader> {
  sf = await startSalesforce({ org });
  const conn = new Connection({ instanceUrl: sf.url, accessToken: sf.issueToken(BOT_USERNAME), version: API_VERSION });
  // The bot's own page size for per-user reads is smaller; the org read must use 2,000 regardless.
  const reader = new OrgSessionsReader(new SalesforceRest(conn, { apiVersion: API_VERSION, batchSize: 200, timeoutMs: 30_000 }));
  sf.resetRequests();
  return reader;
}

describe('OrgSessionsReader', () => {
  // Totals include the bot's own session, which the stand-in opens when it issues the bot's token.
  it.each([
    [1, 1],
    [2_000, 1],
    [2_001, 2],
    [4_000, 2],
    [4_001, 3],
  ])('%i live sessions cost %i calls, every session read once, none reported as extra', async (total, calls) => {
    const org = new Org();
    withBot(org);
    if (total > 1) addUserWithSessions(org, { username: 'busy@acme.com', count: total - 1, seed: total, now: NOW });
    const reader = await readerFor(org);
    expect(org.count('AuthSession')).toBe(total);
    const read = await reader.liveSessions({ tokensCreatedBefore: new Date(NOW.getTime() - 30 * DAY) });
    expect(read.sessions).toHaveLength(total);
    expect(new Set(read.sessions.map((s) => s.id)).size).toBe(total);
    expect(read.calls).toBe(calls);
    expect(read.extraCalls).toBe(0);
    expect(sf?.apiCalls().map((c) => c.method)).toEqual(['POST', ...Array<string>(calls - 1).fill('GET')]);
  });

  it('names each holder through the Users relationship and reads only tokens older than the cut-off, oldest first', async () => {
    const org = new Org();
    withBot(org);
    const { userId } = addUserWithSessions(org, { username: 'ada@acme.com', count: 3, seed: 1, now: NOW });
    const { userId: tokenOnly } = addUser(org, { username: 'tess@acme.com', name: 'Tess Token' });
    addOauthToken(org, { userId, appName: 'Data Loader', createdAt: new Date(NOW.getTime() - 90 * DAY), lastUsedAt: NOW, useCount: 1 });
    addOauthToken(org, { userId: tokenOnly, appName: 'Workbench', createdAt: new Date(NOW.getTime() - 200 * DAY), lastUsedAt: NOW, useCount: 1 });
    addOauthToken(org, { userId, appName: 'Salesforce CLI', createdAt: new Date(NOW.getTime() - 5 * DAY), lastUsedAt: NOW, useCount: 1 });
    const reader = await readerFor(org);
    const read = await reader.liveSessions({ tokensCreatedBefore: new Date(NOW.getTime() - 30 * DAY) });
    expect(read.people).toEqual(expect.arrayContaining([expect.objectContaining({ userId, username: 'ada@acme.com' })]));
    expect(read.people).toContainEqual({ userId: tokenOnly, name: 'Tess Token', username: 'tess@acme.com' });
    expect('rows' in read.tokens && read.tokens.rows.map((t) => t.appName)).toEqual(['Workbench', 'Data Loader']);
    expect('rows' in read.tokens && read.tokens.complete).toBe(true);
    expect(read.calls).toBe(1);
  });
});
