/**
 * `/sessions suppressions`: the alerts people marked expected that still apply — rule, user,
 * scope, who, why, until when, how many findings each kept out of the channel — each with a
 * Remove button. Pure.
 */
import type { KnownBlock } from '@slack/types';
import type { SfUser } from '../../domain/types';
import type { Suppression } from '../../store/suppressions-store';
import { SUPPRESSION_ACTIONS } from './action-ids';
import { button, context, header, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { formatCount, plural, safe, slackDate, truncate } from './text';

export interface SuppressionsListInput {
  suppressions: readonly Suppression[];
  /** Names of the Salesforce users, when the monitor knows them. */
  users: ReadonlyMap<string, Pick<SfUser, 'name' | 'username'>>;
  now: Date;
  /** A line above the list, e.g. "Removed S… (sessions from 203.0.113.0/24)". */
  notice?: string;
}

/** Slack allows 50 blocks: header, notice, footer and two per row leave room for this many. */
export const MAX_SUPPRESSIONS_SHOWN = 20;

function scopeText(s: Suppression): string {
  const code = (text: string) => `\`${safe(text.replace(/`/g, "'"), 120)}\``;
  switch (s.scope.kind) {
    case 'user':
      return 'every address';
    case 'network':
      return `only from ${code(s.scope.cidr)}`;
    case 'app':
      return `only the connected app ${code(s.scope.app)}`;
  }
}

function rowText(s: Suppression, user: Pick<SfUser, 'name' | 'username'> | undefined): string {
  const who = user ? `*${safe(user.name || user.username, 120)}* (${safe(user.username, 120)})` : `Salesforce user \`${safe(s.userId, 40)}\``;
  const count = s.suppressedCount === 0 ? 'nothing suppressed yet' : `${plural(s.suppressedCount, 'alert')} suppressed`;
  return [
    `*${safe(s.rule, 60)}* · ${who} · ${scopeText(s)}`,
    `Until ${slackDate(s.expiresAt)} · by <@${s.createdBy}> · *${count}*`,
    `_${safe(s.reason, 500)}_`,
  ].join('\n');
}

export function suppressionsListMessage(input: SuppressionsListInput): SlackMessage {
  const shown = input.suppressions.slice(0, MAX_SUPPRESSIONS_SHOWN);
  const blocks: KnownBlock[] = [header('Alerts marked expected')];
  if (input.notice) blocks.push(section(safe(input.notice, 500), 'suppressions_notice'));
  if (shown.length === 0) {
    blocks.push(section('Nothing is suppressed: every alert the monitor finds is posted.', 'suppressions_empty'));
  }
  for (const s of shown) {
    blocks.push(
      section(
        rowText(s, input.users.get(s.userId)),
        `suppression_${s.id}`,
        button({
          text: 'Remove',
          actionId: SUPPRESSION_ACTIONS.remove,
          value: s.id,
          accessibilityLabel: `Remove suppression ${s.id} of ${s.rule}`,
          confirm: { title: 'Remove this suppression?', text: `New *${safe(s.rule, 60)}* alerts about this user will be posted again.`, confirm: 'Remove' },
        }),
      ),
    );
  }
  const more = input.suppressions.length - shown.length;
  blocks.push(
    context(
      [
        `As of ${slackDate(input.now)}${more > 0 ? ` · ${formatCount(more)} more not shown (soonest to expire first)` : ''} · suppressions end by themselves when they expire`,
      ],
      'suppressions_meta',
    ),
  );
  const total = input.suppressions.reduce((sum, s) => sum + s.suppressedCount, 0);
  const fallback = `${plural(input.suppressions.length, 'suppression')} in force, ${plural(total, 'alert')} suppressed`;
  return { text: truncate(`${input.notice ? `${input.notice} — ` : ''}${fallback}`, MAX_FALLBACK_TEXT), blocks };
}
