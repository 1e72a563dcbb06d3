import { parseSessionsCommand, parseUserRef } from '../../src/slack/command';

describe('parseSessionsCommand', () => {
  it.each([
    ['', { kind: 'help' }],
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
    ["x'OR'1'='1@acme.com", 'is not an e-mail'],
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

  it('never lets quotes or backslashes through as an identifier', () => {
    for (const t of ["a'b@acme.com", 'a\\b@acme.com', 'a"b@acme.com', '<b>@acme.com']) {
      expect(parseUserRef(t)).toHaveProperty('problem');
    }
  });
});
