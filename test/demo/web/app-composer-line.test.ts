import { composerIntent } from '../../../demo/console/web/app/composer-line';

describe('composerIntent', () => {
  test.each([
    ['/sessions bob@acme.com', { kind: 'command', line: '/sessions bob@acme.com' }],
    ['  /sessions history @bob 7  ', { kind: 'command', line: '/sessions history @bob 7' }],
    ['/sessions', { kind: 'command', line: '/sessions' }],
    ['/sessions audit verify', { kind: 'command', line: '/sessions audit verify' }],
    ['', { kind: 'nothing' }],
    ['   ', { kind: 'nothing' }],
    ['hello bot', { kind: 'not-a-command' }],
    ['what about /sessions?', { kind: 'not-a-command' }],
    ['/', { kind: 'not-a-command' }],
    ['/ sessions', { kind: 'not-a-command' }],
    ['//comment', { kind: 'not-a-command' }],
  ])('%p → %p', (typed, intent) => {
    expect(composerIntent(typed)).toEqual(intent);
  });
});
