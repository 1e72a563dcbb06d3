/**
 * /sessions and Login History read every page Salesforce says is there: a page may be shorter
 * than the batch size asked for, so "one page" is never taken for "all". Real jsforce against
 * the stand-in, whose pages come short when the rows do not fill the last one.
 */
import { UserActivityReader } from '../../src/salesforce/user-activity';
import { addLogin } from '../standins/salesforce/generator';
import { quietUser } from '../standins/salesforce/scenarios';
import { sfFixture, type SfFixture } from '../support/sf-fixture';

let fx: SfFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('UserActivityReader follows short pages', () => {
  it('Login History: 1,100 logins at 500 a page come back in full (a short first page, then two more)', async () => {
    const now = new Date();
    const s = quietUser({ now });
    const before = s.org.byReference('LoginHistory', 'UserId', s.userId).length;
    for (let i = 0; i < 1_100 - before; i += 1) {
      addLogin(s.org, { userId: s.userId, at: new Date(now.getTime() - (i + 1) * 60_000), status: 'Success', sourceIp: '203.0.113.9' });
    }
    fx = await sfFixture(s.org, { botUserId: s.botUserId, batchSize: 500 });
    const reader = new UserActivityReader(fx.rest);
    const { events } = await reader.loginHistory({ byId: s.userId }, new Date(now.getTime() - 30 * 86_400_000), 2_000);
    expect(events).toHaveLength(1_100);
    expect(new Set(events.map((e) => e.id)).size).toBe(1_100);
    expect(fx.calls().map((c) => c.method)).toEqual(['POST', 'GET', 'GET']);
  });
});
