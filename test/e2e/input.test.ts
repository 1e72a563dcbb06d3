/**
 * What people type into /sessions, end to end: valid addresses with an apostrophe, `+` or `&`
 * reach Salesforce as one escaped SOQL literal and find the user; an injection-shaped (but
 * valid) address finds nobody. Real Bolt and jsforce against the stand-ins.
 */
import { addOrganization, addSessionFamily, addUser, withBot } from '../standins/salesforce/generator';
import { Org } from '../standins/salesforce/org';
import { place } from '../standins/salesforce/places';
import { replyText, startHarness, type Harness } from '../support/harness';

const now = new Date();
const minutesAgo = (minutes: number): Date => new Date(now.getTime() - minutes * 60_000);

/** An org with Sean O'Brien (username o'brien@acme.com) and a user found by an e-mail with `&` and `+`. */
function irishOrg(): Org {
  const org = new Org();
  addOrganization(org, 'Acme Corporation');
  withBot(org);
  const sean = addUser(org, { username: "o'brien@acme.com", name: "Sean O'Brien" });
  addSessionFamily(org, {
    userId: sean.userId,
    createdAt: minutesAgo(30),
    lastActivityAt: minutesAgo(3),
    sourceIp: '192.0.2.44',
    place: place('Dublin'),
    children: ['Aura'],
  });
  const rd = addUser(org, { username: 'rd.lead@acme.com.prod', email: 'r&d+ops@acme.com', name: 'Rita Delaney' });
  addSessionFamily(org, { userId: rd.userId, createdAt: minutesAgo(10), sourceIp: '192.0.2.45', place: place('Dublin') });
  addUser(org, { username: 'someone.else@acme.com', name: 'Someone Else' });
  return org;
}

/** The SOQL texts the bot sent in its Composite calls (each sub-request's `q=`). */
function queriesSent(h: Harness): string[] {
  return h.sf
    .apiCalls()
    .filter((c) => c.method === 'POST' && c.path.endsWith('/composite'))
    .flatMap((c) => (JSON.parse(c.body) as { compositeRequest: { url: string }[] }).compositeRequest)
    .map((r) => new URL(r.url, 'http://x').searchParams.get('q') ?? '');
}

describe('addresses people really have', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: irishOrg() });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sf.resetRequests());

  it("finds o'brien@acme.com, sending the apostrophe escaped inside one SOQL literal", async () => {
    const { reply } = await h.command("o'brien@acme.com");
    const text = replyText(reply);
    expect(text).not.toMatch(/is not an e-mail/);
    expect(text).toContain("Sean O'Brien");
    expect(text).toContain('Dublin');
    const userQuery = queriesSent(h).find((q) => q.includes('FROM User '));
    expect(userQuery).toContain("Username = 'o\\'brien@acme.com' OR Email = 'o\\'brien@acme.com'");
  });

  it("shows o'brien's login history", async () => {
    const { reply } = await h.command("history o'brien@acme.com 7");
    const text = replyText(reply);
    expect(text).not.toMatch(/is not an e-mail|No Salesforce user/);
    expect(text).toContain("O'Brien");
  });

  it('finds a user by an e-mail with & and +, as Slack escapes it (&amp;)', async () => {
    const { reply } = await h.command('r&amp;d+ops@acme.com');
    const text = replyText(reply);
    expect(text).toContain('Rita Delaney');
    expect(queriesSent(h).find((q) => q.includes('FROM User '))).toContain("Email = 'r&d+ops@acme.com'");
  });

  it('finds nobody for an injection-shaped address: it stays one value', async () => {
    const { reply } = await h.command("x'OR'1'='1@acme.com");
    const text = replyText(reply);
    expect(text).toMatch(/No Salesforce user matches/);
    expect(text).not.toContain('Someone Else');
    expect(text).not.toContain("Sean O'Brien");
  });
});
