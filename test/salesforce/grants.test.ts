/**
 * Reading a user's OAuth grants as Salesforce serves them: 500 rows a call, no more than 2,500 in
 * all, and only the caller's own without Customize Application. Real jsforce against the stand-in.
 */
import { IntegrationPermissions } from '../../src/salesforce/permissions';
import { UserActivityReader } from '../../src/salesforce/user-activity';
import { setPermission } from '../standins/salesforce/permissions';
import { quietUser } from '../standins/salesforce/scenarios';
import { sfFixture, type SfFixture } from '../support/sf-fixture';

let fx: SfFixture;
let scenario: ReturnType<typeof quietUser>;
const now = new Date();

beforeEach(async () => {
  scenario = quietUser({ now });
  fx = await sfFixture(scenario.org, { botUserId: scenario.botUserId });
});
afterEach(() => fx.close());

function addGrants(n: number): void {
  for (let i = 0; i < n; i += 1) {
    scenario.org.insert('OauthToken', { UserId: scenario.userId, AppName: `App ${String(i).padStart(4, '0')}`, DeleteToken: `d-${i}`, UseCount: 1 });
  }
}

const read = (reader: UserActivityReader) => reader.read({ byId: scenario.userId }, { now, loginWindowHours: 24, loginLimit: 20 });

describe('OauthToken as Salesforce serves it', () => {
  it('reads every 500-row page of a long grant list (one Composite call, then the further pages)', async () => {
    addGrants(1_200);
    const activity = await read(new UserActivityReader(fx.rest));
    expect(activity.grants).toHaveLength(1_200);
    expect(activity.grantsCaveat).toBeNull();
    expect(fx.calls()).toHaveLength(3);
  });

  it('past the 2,500-row cap the list is partial, said as such', async () => {
    addGrants(2_600);
    const activity = await read(new UserActivityReader(fx.rest));
    expect(activity.grants).toHaveLength(2_500);
    expect(activity.grantsCaveat).toEqual({ kind: 'partial', text: expect.stringContaining('no more than 2,500 OAuth tokens') as unknown });
  });

  it('without Customize Application the permissions say so, and no grant query is sent', async () => {
    addGrants(2);
    setPermission(scenario.org, scenario.botUserId, 'PermissionsCustomizeApplication', false);
    const permissions = new IntegrationPermissions();
    expect(await permissions.read(fx.rest, scenario.botUserId, now)).toMatchObject({
      state: 'known',
      held: { apiEnabled: true, manageUsers: true, customizeApplication: false, viewSetup: true, viewEventLogFiles: true },
    });
    expect(permissions.missing().map((m) => m.label)).toEqual(['Customize Application']);
    fx.sf.resetRequests();
    const activity = await read(new UserActivityReader(fx.rest, () => permissions.grantsHidden()));
    expect(activity.grants).toBeNull();
    expect(activity.grantsCaveat).toMatchObject({ kind: 'hidden', text: expect.stringContaining('lacks Customize Application') as unknown });
    expect(fx.calls()[0]?.body).not.toContain('OauthToken');
  });

  it('permissions that cannot be read are unknown, and then grants are not trusted either', async () => {
    fx.sf.faults.denyObject('PermissionSetAssignment', 'INVALID_TYPE');
    const permissions = new IntegrationPermissions();
    const state = await permissions.read(fx.rest, scenario.botUserId, now);
    expect(state).toMatchObject({ state: 'unknown', reason: expect.stringContaining('INVALID_TYPE') as unknown });
    expect(permissions.health()).toMatchObject({ ok: false, missing: [] });
    expect(permissions.grantsHidden()).toMatch(/^Connected-app grants are unknown/);
  });
});
