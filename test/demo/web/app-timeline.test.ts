import type { Ephemeral, Message } from '../../../demo/console/protocol';
import { mergeTimeline, slackTsToMillis } from '../../../demo/console/web/app/timeline';

function message(ts: string, threadTs?: string): Message {
  return { channel: 'C1', ts, threadTs, author: { id: 'U1', name: 'ada', isBot: false }, text: ts, blocks: null, edited: false, files: [] };
}

function ephemeral(id: string, at: number, extra: Partial<Ephemeral> = {}): Ephemeral {
  return { id, channel: 'C1', text: id, blocks: null, at, ...extra };
}

describe('slackTsToMillis', () => {
  test.each([
    ['1700000000.000100', 1700000000000],
    ['1700000000.123456', 1700000000123],
    ['1700000000', 1700000000000],
  ])('%s is %d ms', (ts, ms) => {
    expect(slackTsToMillis(ts)).toBe(ms);
  });

  test.each(['', 'abc', '17.00.01', '-1.5'])('%p is not a timestamp', (ts) => {
    expect(slackTsToMillis(ts)).toBeNaN();
  });
});

describe('mergeTimeline', () => {
  const messages = [message('1700000010.000100'), message('1700000020.000200'), message('1700000030.000300')];
  const keys = (items: ReturnType<typeof mergeTimeline>) => items.map((item) => item.key);

  test.each<[string, Ephemeral[], string | undefined, string[]]>([
    ['no ephemerals keeps the messages', [], undefined, ['m:1700000010.000100', 'm:1700000020.000200', 'm:1700000030.000300']],
    [
      'an ephemeral before every message comes first',
      [ephemeral('a', 1700000005000)],
      undefined,
      ['e:a', 'm:1700000010.000100', 'm:1700000020.000200', 'm:1700000030.000300'],
    ],
    [
      'an ephemeral between two messages sits between them',
      [ephemeral('a', 1700000015000)],
      undefined,
      ['m:1700000010.000100', 'e:a', 'm:1700000020.000200', 'm:1700000030.000300'],
    ],
    [
      'an ephemeral after everything comes last',
      [ephemeral('a', 1700000040000)],
      undefined,
      ['m:1700000010.000100', 'm:1700000020.000200', 'm:1700000030.000300', 'e:a'],
    ],
    [
      'at the same millisecond the message comes first',
      [ephemeral('a', 1700000020000)],
      undefined,
      ['m:1700000010.000100', 'm:1700000020.000200', 'e:a', 'm:1700000030.000300'],
    ],
    [
      'unordered ephemerals are ordered by time',
      [ephemeral('late', 1700000035000), ephemeral('early', 1700000012000)],
      undefined,
      ['m:1700000010.000100', 'e:early', 'm:1700000020.000200', 'm:1700000030.000300', 'e:late'],
    ],
    [
      'another channel’s ephemerals stay out',
      [ephemeral('a', 1700000015000, { channel: 'C2' })],
      undefined,
      ['m:1700000010.000100', 'm:1700000020.000200', 'm:1700000030.000300'],
    ],
    [
      'a thread’s ephemerals stay out of the channel',
      [ephemeral('a', 1700000015000, { threadTs: '1700000010.000100' })],
      undefined,
      ['m:1700000010.000100', 'm:1700000020.000200', 'm:1700000030.000300'],
    ],
    [
      'in a thread only that thread’s ephemerals appear',
      [
        ephemeral('in', 1700000025000, { threadTs: '1700000001.000001' }),
        ephemeral('other', 1700000025000, { threadTs: '1700000002.000002' }),
        ephemeral('top', 1700000025000),
      ],
      '1700000001.000001',
      ['m:1700000010.000100', 'm:1700000020.000200', 'e:in', 'm:1700000030.000300'],
    ],
  ])('%s', (_name, ephemerals, threadTs, expected) => {
    expect(keys(mergeTimeline(messages, ephemerals, 'C1', threadTs))).toEqual(expected);
  });

  test('items carry what they show and their time in ms', () => {
    const [first, second] = mergeTimeline([message('1700000010.000100')], [ephemeral('a', 1700000011000)], 'C1');
    expect(first).toMatchObject({ kind: 'message', at: 1700000010000, message: { ts: '1700000010.000100' } });
    expect(second).toMatchObject({ kind: 'ephemeral', at: 1700000011000, ephemeral: { id: 'a' } });
  });

  test('an empty channel with an ephemeral shows just the ephemeral', () => {
    expect(keys(mergeTimeline([], [ephemeral('a', 1)], 'C1'))).toEqual(['e:a']);
  });
});
