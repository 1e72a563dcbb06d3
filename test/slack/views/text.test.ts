import { blockTextLength, escapeMrkdwn, formatCount, safe, slackDate, truncate } from '../../../src/slack/views/text';
import { section } from '../../../src/slack/views/blocks';

describe('text helpers', () => {
  it('escapes the three mrkdwn control characters', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil|x>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil|x&gt;');
  });

  it('renders a viewer-local date with a UTC fallback', () => {
    const d = new Date('2026-11-26T10:00:00Z');
    expect(slackDate(d)).toBe(`<!date^${d.getTime() / 1000}^{date_short_pretty} {time}|2026-11-26 10:00 UTC>`);
  });

  it('truncates with an ellipsis and never cuts an entity or a <…> token in half', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('ab &amp; cd', 6)).toBe('ab…');
    const withDate = `x ${slackDate(new Date(0))} y`;
    expect(truncate(withDate, 20)).toBe('x…');
    expect(truncate('a😀b', 3)).toBe('a…');
  });

  it('caps escaped strings after escaping', () => {
    const s = safe('<'.repeat(100), 50);
    expect(s.length).toBeLessThanOrEqual(50);
    expect(s.endsWith('…')).toBe(true);
    expect(s).not.toContain('<');
    expect(s).toMatch(/^(&lt;)+…$/);
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(1667)).toBe('1,667');
    expect(formatCount(5_000_000)).toBe('5,000,000');
    expect(formatCount(12)).toBe('12');
  });

  it('measures block text including buttons', () => {
    expect(blockTextLength([section('hello')])).toBe(5);
  });
});
