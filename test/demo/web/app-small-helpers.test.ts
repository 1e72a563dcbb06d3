import type { ConsoleNotice, Snapshot } from '../../../demo/console/protocol';
import { directoryOf } from '../../../demo/console/web/app/directory';
import { noticeKey, unseenNotices } from '../../../demo/console/web/app/notices';
import { actionRequest } from '../../../demo/console/web/app/page-context';
import { reconnectDelayMs } from '../../../demo/console/web/app/reconnect';
import { clockTime, fullTime } from '../../../demo/console/web/app/time-format';
import { urlWithViewer, viewerFromSearch } from '../../../demo/console/web/app/viewer-url';

describe('viewer in the URL', () => {
  test.each<[string, string | null]>([
    ['?as=U123', 'U123'],
    ['?x=1&as=U7', 'U7'],
    ['?as=', null],
    ['', null],
    ['?viewer=U1', null],
  ])('viewerFromSearch(%p) is %p', (search, viewer) => {
    expect(viewerFromSearch(search)).toBe(viewer);
  });

  test.each([
    ['http://127.0.0.1:3000/', 'U1', 'http://127.0.0.1:3000/?as=U1'],
    ['http://127.0.0.1:3000/?as=U1', 'U2', 'http://127.0.0.1:3000/?as=U2'],
    ['http://127.0.0.1:3000/?debug=1#top', 'U3', 'http://127.0.0.1:3000/?debug=1&as=U3#top'],
  ])('urlWithViewer(%p, %p)', (href, viewer, expected) => {
    expect(urlWithViewer(href, viewer)).toBe(expected);
  });
});

describe('times in the viewer’s zone', () => {
  const noonUtc = Date.UTC(2024, 5, 3, 12, 5);
  test.each([
    ['UTC', '12:05 PM'],
    ['America/Los_Angeles', '5:05 AM'],
    ['Asia/Tokyo', '9:05 PM'],
    ['Asia/Kolkata', '5:35 PM'],
  ])('%s', (zone, clock) => {
    expect(clockTime(noonUtc, zone)).toBe(clock);
  });

  test('the full time names the date and zone', () => {
    expect(fullTime(noonUtc, 'Europe/Berlin')).toMatch(/Jun 3, 2024.*2:05:00 PM.*GMT\+2/);
  });

  test('no time for a malformed timestamp', () => {
    expect(clockTime(Number.NaN, 'UTC')).toBe('');
    expect(fullTime(Number.NaN, 'UTC')).toBe('');
  });
});

describe('notices', () => {
  const a: ConsoleNotice = { at: 1, level: 'info', text: 'the bot started' };
  const b: ConsoleNotice = { at: 2, level: 'error', text: 'the bot answered HTTP 500 to that click' };
  test.each<[string, ConsoleNotice[], ConsoleNotice[], ConsoleNotice[]]>([
    ['nothing seen: all are new', [a, b], [], [a, b]],
    ['seen ones are skipped', [a, b], [a], [b]],
    ['all seen', [a, b], [a, b], []],
    ['the same text at another time is new', [a, { ...a, at: 5 }], [a], [{ ...a, at: 5 }]],
  ])('%s', (_name, notices, seen, expected) => {
    expect(unseenNotices(notices, new Set(seen.map(noticeKey)))).toEqual(expected);
  });
});

describe('reconnectDelayMs', () => {
  test.each([
    [0, 1000],
    [1, 2000],
    [3, 8000],
    [4, 15000],
    [40, 15000],
    [-1, 1000],
  ])('after %d failures wait %d ms', (attempts, delay) => {
    expect(reconnectDelayMs(attempts)).toBe(delay);
  });
});

describe('directoryOf', () => {
  const snapshot: Pick<Snapshot, 'people' | 'conversations'> = {
    people: [{ id: 'U1', name: 'ada', realName: 'Ada Lovelace', email: 'ada@acme.com', role: 'admin', roleLabel: 'security admin', tz: 'UTC' }],
    conversations: [
      {
        id: 'C1',
        name: 'security',
        kind: 'channel',
        messages: [{ channel: 'C1', ts: '1.0', author: { id: 'UBOT', name: 'Session Warden', isBot: true }, text: '', blocks: null, edited: false, files: [] }],
        threads: {
          '1.0': [
            { channel: 'C1', ts: '2.0', threadTs: '1.0', author: { id: 'U1', name: 'ada', isBot: false }, text: '', blocks: null, edited: false, files: [] },
          ],
        },
      },
    ],
  };
  const directory = directoryOf(snapshot);
  test.each<[string, string | undefined]>([
    ['U1', 'Ada Lovelace'],
    ['UBOT', 'Session Warden'],
    ['U404', undefined],
  ])('user %s is %p', (id, name) => {
    expect(directory.userName(id)).toBe(name);
  });
  test.each<[string, string | undefined]>([
    ['C1', 'security'],
    ['C404', undefined],
  ])('channel %s is %p', (id, name) => {
    expect(directory.channelName(id)).toBe(name);
  });
});

describe('actionRequest', () => {
  const state = { reason: { text: { type: 'plain_text_input' as const, value: 'phished' } } };
  test.each([
    [
      'a message button',
      actionRequest('U1', { kind: 'message', channel: 'C1', ts: '1.0' }, { actionId: 'approve', blockId: 'b1', type: 'button' }),
      { user: 'U1', source: { kind: 'message', channel: 'C1', ts: '1.0' }, actionId: 'approve', blockId: 'b1' },
    ],
    [
      'an overflow in an ephemeral',
      actionRequest('U1', { kind: 'ephemeral', id: 'E1' }, { actionId: 'more', blockId: 'b2', type: 'overflow', selectedValue: 'history' }),
      { user: 'U1', source: { kind: 'ephemeral', id: 'E1' }, actionId: 'more', blockId: 'b2', selectedValue: 'history' },
    ],
    [
      'a select in a modal carries its state',
      actionRequest('U2', { kind: 'view', viewId: 'V1' }, { actionId: 'days', blockId: 'b3', type: 'static_select', selectedValue: '7' }, state),
      { user: 'U2', source: { kind: 'view', viewId: 'V1' }, actionId: 'days', blockId: 'b3', selectedValue: '7', state },
    ],
  ])('%s', (_name, request, expected) => {
    expect(request).toStrictEqual(expected);
  });
});
