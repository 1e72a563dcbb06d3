/**
 * The org view's *Export CSV*: one row per live session, the columns of the Session Management
 * page plus what the bot knows (login root, holder, place, integration, the bot's own). Pure.
 */
import { isBotOwnSession } from '../../domain/families';
import type { Session } from '../../domain/types';
import type { OrgPerson } from '../../operations/org-view';
import { rootIdsOf } from '../../operations/org-view';
import { isIntegrationSession } from '../../rules/integration';

export const ORG_CSV_HEADER = [
  'SessionId',
  'LoginRootId',
  'UserId',
  'Name',
  'Username',
  'SessionType',
  'LoginType',
  'SourceIp',
  'CountryIso',
  'City',
  'CreatedDate',
  'LastModifiedDate',
  'ExpiresAt',
  'Integration',
  'BotOwn',
] as const;

export interface OrgCsvInput {
  sessions: readonly Session[];
  people: ReadonlyMap<string, OrgPerson>;
  botUserId: string | null;
}

/** RFC 4180 text (CRLF line ends), UTF-8; unknown values are empty cells. */
export function orgSessionsCsv({ sessions, people, botUserId }: OrgCsvInput): string {
  const roots = rootIdsOf(sessions);
  const rows: string[][] = [[...ORG_CSV_HEADER]];
  for (const s of sessions) {
    const person = people.get(s.userId);
    rows.push([
      s.id,
      roots.get(s.id) ?? s.id,
      s.userId,
      person?.name ?? '',
      person?.username ?? '',
      s.sessionType,
      s.loginType ?? '',
      s.sourceIp ?? '',
      s.place?.countryIso ?? '',
      s.place?.city ?? '',
      s.createdAt.toISOString(),
      s.lastModifiedAt.toISOString(),
      s.expiresAt.toISOString(),
      String(isIntegrationSession(s)),
      String(isBotOwnSession(s, botUserId)),
    ]);
  }
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A name or city typed into Salesforce could start with `=`, `+`, `-` or `@`, which a spreadsheet
 * opening the file would run as a formula: such a cell is prefixed with `'` (OWASP's advice).
 */
function cell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
