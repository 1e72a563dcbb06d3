import { formatAge, formatDuration, formatKm, formatUtcDateTime, formatUtcTime, plural, wholeDaysBetween } from '../../src/domain/format';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('formatKm', () => {
  it('rounds to 100 km from 1,000 km, to 10 km from 100 km, else to 1 km', () => {
    expect(formatKm(9437.2)).toBe('9,400 km');
    expect(formatKm(9450)).toBe('9,500 km');
    expect(formatKm(1000)).toBe('1,000 km');
    expect(formatKm(999)).toBe('1,000 km');
    expect(formatKm(344.4)).toBe('340 km');
    expect(formatKm(100)).toBe('100 km');
    expect(formatKm(99.6)).toBe('100 km');
    expect(formatKm(12.4)).toBe('12 km');
    expect(formatKm(20015)).toBe('20,000 km');
  });

  it('handles zero and nonsense', () => {
    expect(formatKm(0)).toBe('under 1 km');
    expect(formatKm(0.4)).toBe('under 1 km');
    expect(formatKm(-5)).toBe('an unknown distance');
    expect(formatKm(Number.NaN)).toBe('an unknown distance');
  });
});

describe('formatDuration', () => {
  it('uses minutes under 2 h', () => {
    expect(formatDuration(90 * MIN)).toBe('90 min');
    expect(formatDuration(119 * MIN + 59_000)).toBe('119 min');
    expect(formatDuration(MIN)).toBe('1 min');
    expect(formatDuration(59_000)).toBe('under 1 min');
    expect(formatDuration(0)).toBe('under 1 min');
  });

  it('uses hours and minutes under 2 days', () => {
    expect(formatDuration(2 * HOUR)).toBe('2 h');
    expect(formatDuration(2 * HOUR + 5 * MIN)).toBe('2 h 5 min');
    expect(formatDuration(3 * HOUR + 10 * MIN + 30_000)).toBe('3 h 10 min');
    expect(formatDuration(47 * HOUR + 59 * MIN)).toBe('47 h 59 min');
  });

  it('uses whole days from 2 days', () => {
    expect(formatDuration(2 * DAY)).toBe('2 days');
    expect(formatDuration(45 * DAY + 23 * HOUR)).toBe('45 days');
  });

  it('rejects negative and non-finite input', () => {
    expect(formatDuration(-1)).toBe('an unknown time');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('an unknown time');
  });
});

describe('formatAge / wholeDaysBetween / times', () => {
  const now = new Date('2026-07-01T12:00:00Z');

  it('formats the age of a date, clamping the future to zero', () => {
    expect(formatAge(new Date('2026-07-01T08:50:00Z'), now)).toBe('3 h 10 min');
    expect(formatAge(new Date('2026-07-02T12:00:00Z'), now)).toBe('under 1 min');
  });

  it('counts whole days', () => {
    expect(wholeDaysBetween(new Date(now.getTime() - 30 * DAY), now)).toBe(30);
    expect(wholeDaysBetween(new Date(now.getTime() - 30 * DAY + 1), now)).toBe(29);
  });

  it('prints UTC times regardless of the process time zone', () => {
    expect(formatUtcTime(new Date('2026-07-01T14:05:59Z'))).toBe('14:05 UTC');
    expect(formatUtcDateTime(new Date('2026-11-26T03:07:00Z'))).toBe('26 Nov 03:07 UTC');
  });

  it('pluralizes', () => {
    expect(plural(1, 'session')).toBe('1 session');
    expect(plural(3, 'session')).toBe('3 sessions');
    expect(plural(2, 'family', 'families')).toBe('2 families');
  });
});
