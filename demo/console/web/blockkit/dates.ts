/**
 * Slack's `<!date^EPOCH^FORMAT|fallback>` tokens, formatted as Slack's clients do for a viewer in
 * `timeZone` (English, 12-hour clock). Pure: "now" is passed in, so Today/Yesterday and {ago} are testable.
 */

export interface DateOptions {
  timeZone: string;
  now: Date;
}

interface CalendarParts {
  year: number;
  month: number;
  day: number;
  weekday: string;
  monthName: string;
  monthShort: string;
}

function calendar(date: Date, timeZone: string): CalendarParts {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'long' }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const monthName = new Intl.DateTimeFormat('en-US', { timeZone, month: 'long' }).format(date);
  const monthShort = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short' }).format(date);
  return { year: Number(part('year')), month: Number(part('month')), day: Number(part('day')), weekday: part('weekday'), monthName, monthShort };
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const units = n % 10;
  return `${n}${units === 1 ? 'st' : units === 2 ? 'nd' : units === 3 ? 'rd' : 'th'}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Whole calendar days from `now` to `date` in the zone: 0 today, -1 yesterday, 1 tomorrow. */
function dayOffset(date: CalendarParts, now: CalendarParts): number {
  const dayNumber = (c: CalendarParts): number => Date.UTC(c.year, c.month - 1, c.day) / 86_400_000;
  return dayNumber(date) - dayNumber(now);
}

function time(date: Date, timeZone: string, seconds: boolean): string {
  const options: Intl.DateTimeFormatOptions = { timeZone, hour: 'numeric', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}), hour12: true };
  // Newer ICU puts a narrow no-break space before AM/PM; Slack shows an ordinary one, and browsers and Node differ.
  return new Intl.DateTimeFormat('en-US', options).format(date).replace(/\u202f/g, ' ');
}

const UNITS: readonly [string, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 minutes ago", "in 2 hours", "just now" (under a minute either way). */
export function relativeTime(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const size = Math.abs(seconds);
  for (const [unit, length] of UNITS) {
    if (size >= length) {
      const n = Math.floor(size / length);
      const amount = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return seconds < 0 ? `${amount} ago` : `in ${amount}`;
    }
  }
  return 'just now';
}

type TokenFormatter = (date: Date, options: DateOptions) => string;

const plainDate = (c: CalendarParts): string => `${c.monthName} ${ordinal(c.day)}, ${c.year}`;
const shortDate = (c: CalendarParts): string => `${c.monthShort} ${c.day}, ${c.year}`;
const longDate = (c: CalendarParts): string => `${c.weekday}, ${plainDate(c)}`;

/** Today / Yesterday / Tomorrow in the viewer's zone, else the given form. */
function pretty(form: (c: CalendarParts) => string): TokenFormatter {
  return (date, { timeZone, now }) => {
    const c = calendar(date, timeZone);
    const offset = dayOffset(c, calendar(now, timeZone));
    if (offset === 0) return 'Today';
    if (offset === -1) return 'Yesterday';
    if (offset === 1) return 'Tomorrow';
    return form(c);
  };
}

// A Map, not an object literal: a format like "{constructor}" must not find Object's prototype.
const TOKENS: ReadonlyMap<string, TokenFormatter> = new Map<string, TokenFormatter>(
  Object.entries({
    date_num: (date, { timeZone }) => {
      const c = calendar(date, timeZone);
      return `${c.year}-${pad2(c.month)}-${pad2(c.day)}`;
    },
    date: (date, { timeZone }) => plainDate(calendar(date, timeZone)),
    date_short: (date, { timeZone }) => shortDate(calendar(date, timeZone)),
    date_long: (date, { timeZone }) => longDate(calendar(date, timeZone)),
    date_pretty: pretty(plainDate),
    date_short_pretty: pretty(shortDate),
    date_long_pretty: pretty(longDate),
    time: (date, { timeZone }) => time(date, timeZone, false),
    time_secs: (date, { timeZone }) => time(date, timeZone, true),
    ago: (date, { now }) => relativeTime(date, now),
  } satisfies Record<string, TokenFormatter>),
);

/**
 * The format with every {token} replaced, or undefined when a token is unknown, the epoch is not a
 * number or the zone is not one Intl knows — the caller then shows the fallback text, as Slack does.
 */
export function formatSlackDate(epochSeconds: number, format: string, options: DateOptions): string | undefined {
  if (!Number.isFinite(epochSeconds)) return undefined;
  const date = new Date(epochSeconds * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  let unknown = false;
  let out: string;
  try {
    out = format.replace(/\{([a-z_]+)\}/g, (whole, token: string) => {
      const formatter = TOKENS.get(token);
      if (!formatter) {
        unknown = true;
        return whole;
      }
      return formatter(date, options);
    });
  } catch {
    // Intl throws RangeError for a zone it does not know.
    return undefined;
  }
  return unknown ? undefined : out;
}
