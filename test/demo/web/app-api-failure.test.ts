import { describeFailure, SERVER_SILENT } from '../../../demo/console/web/app/api-failure';
import type { Outcome } from '../../../demo/console/web/app/api-failure';

describe('describeFailure', () => {
  test.each<[string, Outcome, string | null]>([
    ['accepted', { kind: 'http', status: 200, body: '{"ok":true}' }, null],
    ['no answer at all', { kind: 'network-error' }, SERVER_SILENT],
    [
      'refused with a reason',
      { kind: 'http', status: 200, body: '{"ok":false,"error":"Slack: the bot answered HTTP 500 to that click"}' },
      'Slack: the bot answered HTTP 500 to that click',
    ],
    ['refused without a reason', { kind: 'http', status: 200, body: '{"ok":false}' }, 'The console server refused the request without saying why.'],
    [
      'refused with an empty reason',
      { kind: 'http', status: 200, body: '{"ok":false,"error":"  "}' },
      'The console server refused the request without saying why.',
    ],
    ['HTTP error with the server’s text', { kind: 'http', status: 400, body: '{"ok":false,"error":"unknown user U9"}' }, 'unknown user U9'],
    ['HTTP error without JSON', { kind: 'http', status: 502, body: '<html>Bad gateway</html>' }, 'The console server answered HTTP 502.'],
    ['HTTP error with an empty body', { kind: 'http', status: 500, body: '' }, 'The console server answered HTTP 500.'],
    ['2xx that is not JSON', { kind: 'http', status: 200, body: 'OK' }, 'The console server sent an answer this page does not understand.'],
    ['2xx JSON without ok', { kind: 'http', status: 204, body: '{}' }, 'The console server sent an answer this page does not understand.'],
  ])('%s', (_name, outcome, expected) => {
    expect(describeFailure(outcome)).toBe(expected);
  });

  test('the silent server is named with how to fix it', () => {
    expect(SERVER_SILENT).toMatch(/console server did not answer.*npm run demo/);
  });
});
