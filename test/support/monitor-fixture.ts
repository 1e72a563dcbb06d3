import { Connection } from 'jsforce';
import { MonitorReader } from '../../src/salesforce/monitor-reader';
import { SalesforceRest } from '../../src/salesforce/rest';
import type { Org } from '../standins/salesforce/org';
import { BOT_USERNAME } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';

export const API_VERSION = '62.0';

export interface MonitorFixture {
  sf: SalesforceStandIn;
  conn: Connection;
  reader: MonitorReader;
  close(): Promise<void>;
}

/**
 * Real jsforce, logged in as the bot with a static token, reading the stand-in over loopback.
 * The rest's own batch size is deliberately not the monitor's, to show the reader sets its own.
 */
export async function monitorFixture(org: Org, options: { apiLimit?: number; timeoutMs?: number } = {}): Promise<MonitorFixture> {
  const sf = await startSalesforce({ org, ...(options.apiLimit === undefined ? {} : { apiLimit: options.apiLimit }) });
  const conn = new Connection({ instanceUrl: sf.url, accessToken: sf.issueToken(BOT_USERNAME), version: API_VERSION });
  const rest = new SalesforceRest(conn, { apiVersion: API_VERSION, batchSize: 500, timeoutMs: options.timeoutMs ?? 30_000 });
  sf.resetRequests();
  return { sf, conn, reader: new MonitorReader(rest), close: () => sf.close() };
}
