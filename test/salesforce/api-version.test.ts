/**
 * SF_API_VERSION: unless pinned, the bot uses the newest version the org lists at /services/data
 * up to the newest it is tested with, and says which in the start log. Real jsforce against the
 * stand-in, through the same wiring the bot starts with.
 */
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { chooseApiVersion, NEWEST_TESTED_API_VERSION } from '../../src/salesforce/api-version';
import { buildSalesforce, type SalesforceParts } from '../../src/wiring/salesforce';
import { connectionEnv, SF_CLIENT_ID } from '../standins/bot-connection';
import { testKeyPair } from '../standins/salesforce/keys';
import { quietUser } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';

const versions = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}.0`);

describe('chooseApiVersion', () => {
  it.each([
    [versions(31, 66), '66.0', '66.0'],
    [versions(31, 70), '66.0', '66.0'],
    [versions(31, 60), '66.0', '60.0'],
    [versions(21, 36), '66.0', null],
  ])('case %#: the newest listed up to the tested one', (listed, tested, expected) => {
    expect(
      chooseApiVersion(
        listed.map((version) => ({ version, url: `/services/data/v${version}` })),
        tested,
      ),
    ).toBe(expected);
  });

  it('refuses an answer that is not a version list', () => {
    expect(chooseApiVersion({ error: 'nope' })).toBeNull();
  });
});

describe('the API version the bot settles at login', () => {
  let sf: SalesforceStandIn | undefined;
  let parts: SalesforceParts | undefined;
  afterEach(async () => {
    parts?.client.stop();
    await sf?.close();
    sf = undefined;
    parts = undefined;
  });

  async function start(listed: string[], env: Record<string, string> = {}): Promise<{ logs: string[] }> {
    const scenario = quietUser({ now: new Date() });
    sf = await startSalesforce({ org: scenario.org, apiVersions: listed, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
    const config = loadConfig({
      ...connectionEnv({ apiUrl: 'http://127.0.0.1:9/api/' }, sf),
      SECURITY_CHANNEL: 'C0SECURITY',
      ADMINS: 'U0ADMIN01',
      ...env,
    });
    const logs: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk: Buffer, _enc, cb) {
          logs.push(chunk.toString('utf8'));
          cb();
        },
      }),
    );
    parts = buildSalesforce(config, {}, logger, () => new Date());
    await parts.connect();
    return { logs };
  }

  it(`uses the newest the org lists up to v${NEWEST_TESTED_API_VERSION}, and says so`, async () => {
    const { logs } = await start(versions(31, 70));
    expect(parts?.rest.base).toBe(`/services/data/v${NEWEST_TESTED_API_VERSION}`);
    expect(logs.join('\n')).toContain(`Salesforce REST API v${NEWEST_TESTED_API_VERSION}: the newest the org offers up to v${NEWEST_TESTED_API_VERSION}`);
    expect(logs.join('\n')).toContain('the org also offers up to v70.0');
    // Every later call, the permissions read at login included, goes to that version.
    const api = (sf as SalesforceStandIn).apiCalls().map((c) => c.path);
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((p) => p.startsWith(`/services/data/v${NEWEST_TESTED_API_VERSION}/`))).toBe(true);
  });

  it('an older org gets its own newest', async () => {
    await start(versions(31, 60));
    expect(parts?.rest.base).toBe('/services/data/v60.0');
  });

  it('SF_API_VERSION pins it: no versions list is read', async () => {
    const { logs } = await start(versions(31, 66), { SF_API_VERSION: '62.0' });
    expect(parts?.rest.base).toBe('/services/data/v62.0');
    expect((sf as SalesforceStandIn).requests.some((r) => r.path === '/services/data' || r.path === '/services/data/')).toBe(false);
    expect(logs.join('\n')).toContain('Salesforce REST API v62.0, pinned by SF_API_VERSION');
  });
});
