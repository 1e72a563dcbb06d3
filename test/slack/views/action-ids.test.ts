import { ACTIONS, decodeValue, encodeValue, isHistoryValue, isPageValue, isSessionValue, isUserValue } from '../../../src/slack/views/action-ids';

describe('button values', () => {
  it('round-trips every value shape', () => {
    for (const v of [
      { u: '005000000000001AAA', s: '0Ak000000000000001' },
      { u: '005000000000001AAA' },
      { u: '005000000000001AAA', p: 3 },
      { u: '005000000000001AAA', d: 30 },
    ]) {
      expect(decodeValue(encodeValue(v))).toEqual(v);
    }
  });

  it('narrows decoded values by shape', () => {
    const session = decodeValue('{"u":"005A","s":"0AkB"}');
    expect(isSessionValue(session)).toBe(true);
    expect(isUserValue(session)).toBe(false);
    expect(isPageValue(decodeValue('{"u":"005A","p":2}'))).toBe(true);
    expect(isHistoryValue(decodeValue('{"u":"005A","d":7}'))).toBe(true);
    expect(isHistoryValue(decodeValue('{"u":"005A","d":180}'))).toBe(true);
    expect(isUserValue(decodeValue('{"u":"005A"}'))).toBe(true);
  });

  it.each([
    ['not json', '{u:'],
    ['empty', ''],
    ['array', '["005A"]'],
    ['null', 'null'],
    ['number', '42'],
    ['missing user', '{"s":"0AkB"}'],
    ['numeric user', '{"u":5}'],
    ['empty user', '{"u":""}'],
    ['injected id', '{"u":"005A\' OR Id != null"}'],
    ['extra key', '{"u":"005A","x":1}'],
    ['session and page', '{"u":"005A","s":"0AkB","p":2}'],
    ['page zero', '{"u":"005A","p":0}'],
    ['fractional page', '{"u":"005A","p":1.5}'],
    ['string days', '{"u":"005A","d":"30"}'],
    // More than Salesforce keeps (six months): the bot never sends it, and date arithmetic would overflow.
    ['days past 180', '{"u":"005A","d":181}'],
    ['days = 2^53-1', `{"u":"005A","d":${Number.MAX_SAFE_INTEGER}}`],
    ['too long', `{"u":"${'a'.repeat(2100)}"}`],
  ])('rejects %s', (_name, text) => {
    expect(decodeValue(text)).toBeNull();
  });

  it('rejects non-string input', () => {
    expect(decodeValue(undefined)).toBeNull();
    expect(decodeValue({ u: '005A' })).toBeNull();
  });

  it('keeps the action ids the listeners rely on', () => {
    expect(ACTIONS).toEqual({
      history: 'sessions_history',
      page: 'sessions_page',
      pickUser: 'sessions_pick_user',
      removeSession: 'request_remove_session',
      removeAll: 'request_remove_all',
      freeze: 'request_freeze',
      unfreeze: 'request_unfreeze',
      resetPassword: 'request_reset_password',
      revokeTokens: 'request_revoke_tokens',
      deactivate: 'request_deactivate',
      contain: 'request_contain',
      approve: 'approval_approve',
      deny: 'approval_deny',
      askAgain: 'approval_ask_again',
    });
  });

  it('refuses to encode a value Slack would reject', () => {
    expect(() => encodeValue({ u: 'x'.repeat(2000) })).toThrow(/2000/);
  });
});
