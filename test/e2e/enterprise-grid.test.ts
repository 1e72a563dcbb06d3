/**
 * The bot in a workspace of an Enterprise Grid org, end to end: it learns the org from auth.test at start, and a
 * listed member whose team_id names another workspace of the org (enterprise_user.teams lists this one too) may use
 * /sessions, while a member of the org who is not in this workspace is refused. Real Bolt and jsforce.
 */
import { quietUser } from '../standins/salesforce/scenarios';
import { PEOPLE, replyText, startHarness, type Harness } from '../support/harness';

const ORG = 'E0ACMEORG';
const ALICE = 'alice@acme.com';
const SALES_WORKSPACE = 'T0SALESWS';
const MEMBER_HERE_TOO = 'W0GRIDADA';
const MEMBER_ELSEWHERE = 'W0GRIDBEN';

describe('on Enterprise Grid', () => {
  let h: Harness;
  let ids: ReturnType<typeof quietUser>;
  beforeAll(async () => {
    ids = quietUser({ now: new Date() });
    h = await startHarness({
      org: ids.org,
      slack: { enterpriseId: ORG },
      env: { ADMINS: `${PEOPLE.admin.id},${MEMBER_HERE_TOO},${MEMBER_ELSEWHERE}` },
      beforeStart: ({ slack }) => {
        const home = slack.workspace.ids.teamId;
        const member = (id: string, teams: string[]) =>
          slack.addUser({
            id,
            team_id: SALES_WORKSPACE,
            profile: { email: `${id.toLowerCase()}@acme.com` },
            enterprise_user: { id, enterprise_id: ORG, enterprise_name: 'Acme', is_admin: false, is_owner: false, teams },
          });
        member(MEMBER_HERE_TOO, [SALES_WORKSPACE, home]);
        member(MEMBER_ELSEWHERE, [SALES_WORKSPACE]);
        slack.workspace.channels.get('C0GENERAL')?.members.push(MEMBER_HERE_TOO, MEMBER_ELSEWHERE);
      },
    });
  }, 60_000);
  afterAll(() => h.close());

  it('lets a listed member of this workspace whose team_id names another workspace of the org use /sessions', async () => {
    const { reply } = await h.command(ALICE, MEMBER_HERE_TOO);
    expect(replyText(reply)).not.toMatch(/Only Session Warden admins/);
    expect(replyText(reply)).toContain('Alice Admin');
  });

  it('refuses a member of the org who is not in this workspace, even when listed', async () => {
    const { reply } = await h.command(ALICE, MEMBER_ELSEWHERE);
    expect(replyText(reply)).not.toContain(ids.userId);
    expect(h.logs.some((l) => l.includes('"reason":"user from another workspace"') && l.includes(MEMBER_ELSEWHERE))).toBe(true);
  });
});
