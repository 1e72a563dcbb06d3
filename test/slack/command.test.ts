import { parseSessionsCommand, parseUserRef } from '../../src/slack/command';

describe('parseSessionsCommand', () => {
  it.each([
    ['', { kind: 'org' }],
    ['   ', { kind: 'org' }],
    ['org', { kind: 'org' }],
    [' ORG ', { kind: 'org' }],
    ['org extra', { kind: 'invalid', problem: 'usage: /sessions org (every live session of the org)' }],
    ['  help ', { kind: 'help' }],
    ['alice@acme.com', { kind: 'show', user: { kind: 'identifier', value: 'alice@acme.com' } }],
    ['<mailto:alice@acme.com|alice@acme.com>', { kind: 'show', user: { kind: 'identifier', value: 'alice@acme.com' } }],
    ['<@U0ALICE|alice>', { kind: 'show', user: { kind: 'mention', slackUserId: 'U0ALICE' } }],
    ['<@W0ALICE>', { kind: 'show', user: { kind: 'mention', slackUserId: 'W0ALICE' } }],
    ['history bob@acme.com', { kind: 'history', user: { kind: 'identifier', value: 'bob@acme.com' }, days: null }],
    ['HISTORY bob@acme.com 7', { kind: 'history', user: { kind: 'identifier', value: 'bob@acme.com' }, days: 7 }],
    ['audit RABCDEFGHIJ', { kind: 'audit', target: { requestId: 'RABCDEFGHIJ' } }],
    ['audit bob@acme.com', { kind: 'audit', target: { user: { kind: 'identifier', value: 'bob@acme.com' } } }],
    ['audit verify', { kind: 'verify-audit' }],
  ])('%j', (text, expected) => {
    expect(parseSessionsCommand(text)).toEqual(expected);
  });

  it.each([
    ["x' OR Name != 'y", 'give one user'],
    ['@alice', 'was not sent as a mention'],
    ['history', 'name a user'],
    ['history bob@acme.com 0', 'days must be a whole number'],
    ['history bob@acme.com 500', 'days must be a whole number'],
    ['bob', 'is not an e-mail'],
    ['audit', 'usage: /sessions audit'],
  ])('refuses %j with a clear problem', (text, fragment) => {
    const parsed = parseSessionsCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toContain(fragment);
  });

  it('accepts every RFC 5322 atext character in the local part, the apostrophe included', () => {
    for (const t of ["o'brien@acme.com", "O'Brien.Sean@acme.ie", 'a+tag@acme.com', 'r&d@acme.com', "!#$%&'*+-/=?^_`{|}~@acme.com", 'user@acme.com.sandbox']) {
      expect(parseUserRef(t)).toEqual({ kind: 'identifier', value: t });
    }
    expect(parseSessionsCommand("history o'brien@acme.com 7")).toEqual({ kind: 'history', user: { kind: 'identifier', value: "o'brien@acme.com" }, days: 7 });
  });

  it("reads Slack's escaped & (and mailto links) back into the address", () => {
    expect(parseUserRef('r&amp;d@acme.com')).toEqual({ kind: 'identifier', value: 'r&d@acme.com' });
    expect(parseUserRef("<mailto:o'brien@acme.com|o'brien@acme.com>")).toEqual({ kind: 'identifier', value: "o'brien@acme.com" });
  });

  it('still refuses what no unquoted address holds', () => {
    for (const t of [
      'a\\b@acme.com',
      'a"b@acme.com',
      '<b>@acme.com',
      '&lt;b&gt;@acme.com',
      "a@acme'.com",
      'a(b)@acme.com',
      'a,b@acme.com',
      'a;b@acme.com',
      'a:b@acme.com',
      '[a]@acme.com',
      '@acme.com',
      'a@',
      'a@b@acme.com',
      'a\u0000b@acme.com',
    ]) {
      expect(parseUserRef(t)).toHaveProperty('problem');
    }
  });

  it('keeps an injection-shaped but valid address whole: it is one string literal in SOQL', () => {
    // Valid atext; literal() keeps it inside one quoted value (see test/salesforce/soql.test.ts).
    expect(parseSessionsCommand("x'OR'1'='1@acme.com")).toEqual({ kind: 'show', user: { kind: 'identifier', value: "x'OR'1'='1@acme.com" } });
  });
});
