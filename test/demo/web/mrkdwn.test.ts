import { decodeEntities, parseMrkdwn, type MrkdwnNode } from '../../../demo/console/web/blockkit/mrkdwn';
import { replaceShortcodes } from '../../../demo/console/web/blockkit/emoji';

const text = (t: string): MrkdwnNode => ({ kind: 'text', text: t });
const bold = (...children: MrkdwnNode[]): MrkdwnNode => ({ kind: 'bold', children });
const italic = (...children: MrkdwnNode[]): MrkdwnNode => ({ kind: 'italic', children });
const strike = (...children: MrkdwnNode[]): MrkdwnNode => ({ kind: 'strike', children });
const br: MrkdwnNode = { kind: 'break' };

describe('parseMrkdwn', () => {
  const cases: [string, string, MrkdwnNode[]][] = [
    ['plain text', 'hello world', [text('hello world')]],
    ['bold', 'a *bold* b', [text('a '), bold(text('bold')), text(' b')]],
    ['italic', '_it_', [italic(text('it'))]],
    ['strike', '~gone~', [strike(text('gone'))]],
    ['bold around italic', '*bold _italic_*', [bold(text('bold '), italic(text('italic')))]],
    ['emphasis next to punctuation', '(*x*), done', [text('('), bold(text('x')), text('), done')]],
    ['unmatched opener stays literal', 'a *b c', [text('a *b c')]],
    ['marker inside a word is literal', 'session_id and snake_case_name', [text('session_id and snake_case_name')]],
    ['arithmetic is not bold', '2*3*4', [text('2*3*4')]],
    ['opener before a space is literal', 'a * b * c', [text('a * b * c')]],
    ['empty emphasis is literal', '**', [text('**')]],
    ['emphasis does not cross lines', '*a\nb*', [text('*a'), br, text('b*')]],
    ['inline code is literal inside', 'run `a *b* <@U1>` now', [text('run '), { kind: 'code', text: 'a *b* <@U1>' }, text(' now')]],
    ['code decodes entities', '`a &lt;b&gt; &amp;`', [{ kind: 'code', text: 'a <b> &' }]],
    ['unclosed backtick stays', 'a ` b', [text('a ` b')]],
    ['preformatted block', 'before\n```\nline *1*\nline 2\n```\nafter', [text('before'), { kind: 'pre', text: 'line *1*\nline 2' }, text('after')]],
    ['preformatted on one line', '```x```', [{ kind: 'pre', text: 'x' }]],
    ['unclosed fence stays literal', '```x', [text('```x')]],
    ['quote', '> quoted *text*\nplain', [{ kind: 'quote', children: [text('quoted '), bold(text('text'))] }, text('plain')]],
    ['consecutive quoted lines form one quote', '&gt; one\n&gt; two', [{ kind: 'quote', children: [text('one'), br, text('two')] }]],
    ['> only at line start', 'a > b', [text('a > b')]],
    ['line breaks', 'a\nb', [text('a'), br, text('b')]],
    [
      'link with label',
      'see <https://example.com/x?a=1&amp;b=2|the *docs*>',
      [text('see '), { kind: 'link', url: 'https://example.com/x?a=1&b=2', children: [text('the '), bold(text('docs'))] }],
    ],
    ['bare link', '<https://example.com>', [{ kind: 'link', url: 'https://example.com', children: [text('https://example.com')] }]],
    ['mailto with label', '<mailto:ada@acme.com|Ada>', [{ kind: 'link', url: 'mailto:ada@acme.com', children: [text('Ada')] }]],
    ['mailto without label shows the address', '<mailto:ada@acme.com>', [{ kind: 'link', url: 'mailto:ada@acme.com', children: [text('ada@acme.com')] }]],
    ['javascript: is never a link', '<javascript:alert(1)|click>', [text('click')]],
    ['user mention', 'hi <@U123>', [text('hi '), { kind: 'user', id: 'U123' }]],
    ['user mention with label', '<@U123|ada>', [{ kind: 'user', id: 'U123', label: 'ada' }]],
    ['channel link', '<#C123>', [{ kind: 'channel', id: 'C123' }]],
    ['channel link with name', '<#C123|security>', [{ kind: 'channel', id: 'C123', label: 'security' }]],
    ['user group', '<!subteam^S123>', [{ kind: 'group', label: '@S123' }]],
    ['user group with handle', '<!subteam^S123|@sec-team>', [{ kind: 'group', label: '@sec-team' }]],
    ['@here', '<!here>', [{ kind: 'group', label: '@here' }]],
    ['@channel', '<!channel>', [{ kind: 'group', label: '@channel' }]],
    [
      'date',
      '<!date^1700000000^{date_short_pretty} {time}|2023-11-14 22:13 UTC>',
      [{ kind: 'date', epoch: 1700000000, format: '{date_short_pretty} {time}', fallback: '2023-11-14 22:13 UTC' }],
    ],
    [
      'date with link',
      '<!date^1700000000^{date}^https://x.test/a|then>',
      [{ kind: 'date', epoch: 1700000000, format: '{date}', fallback: 'then', link: 'https://x.test/a' }],
    ],
    ['date with a bad epoch shows the fallback', '<!date^soon^{date}|later>', [text('later')]],
    ['known emoji', ':warning: careful', [{ kind: 'emoji', name: 'warning', char: '\u26A0\uFE0F' }, text(' careful')]],
    ['unknown emoji stays text', ':not_an_emoji:', [text(':not_an_emoji:')]],
    ['times are not emoji', 'at 10:00:00 :x:', [text('at 10:00:00 '), { kind: 'emoji', name: 'x', char: '\u274C' }]],
    ['escaped script is text', '&lt;script&gt;alert(1)&lt;/script&gt;', [text('<script>alert(1)</script>')]],
    ['raw script tag is literal text', '<script>alert(1)</script>', [text('<script>alert(1)</script>')]],
    ['entities decode once', '&amp;lt; &amp;amp;', [text('&lt; &amp;')]],
    ['escaped mention is text', '&lt;!channel&gt;', [text('<!channel>')]],
    ['empty', '', []],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseMrkdwn(input)).toEqual(expected);
  });
});

describe('decodeEntities and replaceShortcodes', () => {
  it('decodes only the three entities Slack escapes', () => {
    expect(decodeEntities('&amp; &lt; &gt; &quot; &#39;')).toBe('& < > &quot; &#39;');
  });

  it('converts known shortcodes and keeps unknown ones, even when an unknown one is next to a known one', () => {
    expect(replaceShortcodes(':white_check_mark: done :nope: 10:00:warning:')).toBe('\u2705 done :nope: 10:00\u26A0\uFE0F');
  });
});
