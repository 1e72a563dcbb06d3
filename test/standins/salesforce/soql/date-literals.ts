/**
 * SOQL date literals as half-open UTC ranges [start, end). Salesforce evaluates them in the
 * caller's locale and time zone; the stand-in's integration user is on UTC with an en_US locale
 * (weeks start on Sunday), which is what the bot's tests assume.
 */
export interface DayRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function startOfUtcDay(now: number): number {
  return Math.floor(now / DAY) * DAY;
}

function monthStart(now: number, deltaMonths: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + deltaMonths, 1);
}

export function dateLiteralRange(name: string, n: number | undefined, now: number): DayRange {
  const today = startOfUtcDay(now);
  const days = (from: number, count: number): DayRange => ({ start: today + from * DAY, end: today + (from + count) * DAY });
  const weekStart = today - new Date(today).getUTCDay() * DAY;
  const count = n ?? 0;
  switch (name) {
    case 'TODAY':
      return days(0, 1);
    case 'YESTERDAY':
      return days(-1, 1);
    case 'TOMORROW':
      return days(1, 1);
    // "The range includes today": LAST_N_DAYS:1 is yesterday and today.
    case 'LAST_N_DAYS':
      return days(-count, count + 1);
    case 'LAST_90_DAYS':
      return days(-90, 91);
    // Starts at 00:00 of the next day, today excluded.
    case 'NEXT_N_DAYS':
      return days(1, count);
    case 'NEXT_90_DAYS':
      return days(1, 90);
    case 'N_DAYS_AGO':
      return days(-count, 1);
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 * DAY };
    case 'LAST_WEEK':
      return { start: weekStart - 7 * DAY, end: weekStart };
    case 'NEXT_WEEK':
      return { start: weekStart + 7 * DAY, end: weekStart + 14 * DAY };
    case 'THIS_MONTH':
      return { start: monthStart(now, 0), end: monthStart(now, 1) };
    case 'LAST_MONTH':
      return { start: monthStart(now, -1), end: monthStart(now, 0) };
    case 'NEXT_MONTH':
      return { start: monthStart(now, 1), end: monthStart(now, 2) };
    default:
      throw new Error(`date literal ${name} is not implemented`);
  }
}
