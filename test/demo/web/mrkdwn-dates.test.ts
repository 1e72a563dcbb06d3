import { formatSlackDate, relativeTime } from '../../../demo/console/web/blockkit/dates';

// 2023-11-15 03:30:45 UTC: already Wednesday in London (GMT in November), still Tuesday evening in Los Angeles (PST).
const EPOCH = Date.UTC(2023, 10, 15, 3, 30, 45) / 1000;
const NOW = new Date('2023-11-15T12:00:00Z');
const LONDON = { timeZone: 'Europe/London', now: NOW };
const LOS_ANGELES = { timeZone: 'America/Los_Angeles', now: NOW };

describe('formatSlackDate', () => {
  const cases: [string, string, string][] = [
    ['{date_num}', '2023-11-15', '2023-11-14'],
    ['{date}', 'November 15th, 2023', 'November 14th, 2023'],
    ['{date_short}', 'Nov 15, 2023', 'Nov 14, 2023'],
    ['{date_long}', 'Wednesday, November 15th, 2023', 'Tuesday, November 14th, 2023'],
    ['{date_pretty}', 'Today', 'Yesterday'],
    ['{date_short_pretty}', 'Today', 'Yesterday'],
    ['{date_long_pretty}', 'Today', 'Yesterday'],
    ['{time}', '3:30 AM', '7:30 PM'],
    ['{time_secs}', '3:30:45 AM', '7:30:45 PM'],
    ['{ago}', '8 hours ago', '8 hours ago'],
    ['Logged in {date_short_pretty} at {time}', 'Logged in Today at 3:30 AM', 'Logged in Yesterday at 7:30 PM'],
  ];

  it.each(cases)('%s in Europe/London and America/Los_Angeles', (format, london, losAngeles) => {
    expect(formatSlackDate(EPOCH, format, LONDON)).toBe(london);
    expect(formatSlackDate(EPOCH, format, LOS_ANGELES)).toBe(losAngeles);
  });

  it('says Tomorrow for the next calendar day in the viewer zone', () => {
    const now = new Date('2023-11-14T20:00:00Z'); // 20:00 in London, noon in Los Angeles
    expect(formatSlackDate(EPOCH, '{date_pretty}', { timeZone: 'Europe/London', now })).toBe('Tomorrow');
    expect(formatSlackDate(EPOCH, '{date_pretty}', { timeZone: 'America/Los_Angeles', now })).toBe('Today');
  });

  it('falls back to the full form beyond yesterday and tomorrow', () => {
    const now = new Date('2023-11-20T12:00:00Z');
    expect(formatSlackDate(EPOCH, '{date_short_pretty}', { timeZone: 'Europe/London', now })).toBe('Nov 15, 2023');
  });

  it('uses ordinal suffixes like Slack (1st, 2nd, 3rd, 11th, 22nd)', () => {
    const on = (day: number) => formatSlackDate(Date.UTC(2024, 0, day, 12) / 1000, '{date}', LONDON);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(on)).toEqual([
      'January 1st, 2024',
      'January 2nd, 2024',
      'January 3rd, 2024',
      'January 4th, 2024',
      'January 11th, 2024',
      'January 12th, 2024',
      'January 13th, 2024',
      'January 21st, 2024',
      'January 22nd, 2024',
      'January 23rd, 2024',
      'January 31st, 2024',
    ]);
  });

  it('gives undefined (the caller shows the fallback) for an unknown token, an unknown zone or a bad epoch', () => {
    expect(formatSlackDate(EPOCH, '{date} {weekday}', LONDON)).toBeUndefined();
    expect(formatSlackDate(EPOCH, '{constructor}', LONDON)).toBeUndefined();
    expect(formatSlackDate(EPOCH, '{date}', { timeZone: 'Mars/Olympus_Mons', now: NOW })).toBeUndefined();
    expect(formatSlackDate(Number.NaN, '{date}', LONDON)).toBeUndefined();
    expect(formatSlackDate(1e20, '{date}', LONDON)).toBeUndefined();
  });

  it('keeps text around tokens and formats without tokens verbatim', () => {
    expect(formatSlackDate(EPOCH, 'no tokens here', LONDON)).toBe('no tokens here');
  });
});

describe('relativeTime ({ago})', () => {
  const at = (ms: number) => relativeTime(new Date(NOW.getTime() + ms), NOW);
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;

  it.each([
    [-20_000, 'just now'],
    [-MINUTE, '1 minute ago'],
    [-45 * MINUTE, '45 minutes ago'],
    [-HOUR, '1 hour ago'],
    [-3 * DAY, '3 days ago'],
    [-45 * DAY, '1 month ago'],
    [-400 * DAY, '1 year ago'],
    [2 * HOUR, 'in 2 hours'],
    [DAY, 'in 1 day'],
  ])('%d ms from now → %s', (offset, expected) => {
    expect(at(offset)).toBe(expected);
  });
});
