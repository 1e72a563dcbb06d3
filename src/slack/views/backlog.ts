/**
 * The first start's "before Session Warden was watching" summary: what the rules found in the
 * login history the bot read at its first start, about logins more than a day old. One message,
 * not alerts — nobody can act on a month-old login as on a new one, but an investigator should know.
 * Pure.
 */
import type { Finding, SfUser } from '../../domain/types';
import { header, section, context } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { formatCount, plural, safe, slackDate, truncate } from './text';

const WORST_SHOWN = 10;
const LIST_BUDGET = 2_800;

export function backlogNotice(findings: readonly Finding[], users: readonly Pick<SfUser, 'id' | 'name' | 'username'>[], now: Date): SlackMessage {
  const names = new Map(users.map((u) => [u.id, u.name || u.username]));
  const byRule = new Map<string, number>();
  for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  const counts = [...byRule.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([rule, n]) => `\`${safe(rule, 40)}\` ${formatCount(n)}`);
  const people = new Set(findings.map((f) => f.userId).filter(Boolean)).size;
  const intro =
    `:card_index_dividers: *Before Session Warden was watching:* the login history read at the first start holds ` +
    `${plural(findings.length, 'finding')} about ${plural(people, 'person', 'people')} from logins more than a day old. ` +
    `They are recorded, not alerted; look a person up with \`/sessions <user>\` if a line matters.`;
  const worst = findings
    .slice(0, WORST_SHOWN)
    .map((f) => `• *${safe(names.get(f.userId) ?? (f.userId || 'no one in particular'), 80)}* — ${safe(f.message, 240)}`);
  const more = findings.length > WORST_SHOWN ? `\n• +${formatCount(findings.length - WORST_SHOWN)} more` : '';
  const blocks = [
    header('Before Session Warden was watching'),
    section(intro, 'backlog_intro'),
    section(`*By rule* ${counts.join(' · ')}`, 'backlog_rules'),
    section(truncate(`*Worst first*\n${worst.join('\n')}${more}`, LIST_BUDGET), 'backlog_worst'),
    context([`As of ${slackDate(now)}`], 'backlog_meta'),
  ];
  const fallback = `Before Session Warden was watching: ${plural(findings.length, 'finding')} about ${plural(people, 'person', 'people')} from logins more than a day old, recorded, not alerted.`;
  return { text: truncate(fallback, MAX_FALLBACK_TEXT), blocks };
}
