/**
 * The /sessions answer: who the user is, what the rules found, one entry per session family
 * (riskiest first) and the buttons that start an approval request. Pure: no I/O.
 */
import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import type { AssessedFamily, Finding, GrantsCaveat, Policy, SessionAssessment, SfUser } from '../../domain/types';
import { formatAge, formatDuration } from '../../domain/format';
import { placeLabel } from '../../domain/geo';
import { ACTIONS, INVESTIGATE_ACTIONS } from './action-ids';
import { LIMITS, actions, button, context, divider, header, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { blockTextLength, formatCount, plural, safe, slackDate, truncate } from './text';

export interface SessionsMessageInput {
  user: SfUser;
  assessment: SessionAssessment;
  /** 1-based; clamped to the pages that exist. */
  page: number;
  now: Date;
  policy: Policy;
  botUserId: string;
  /** False for viewers who may look but not request actions: no action buttons at all. */
  canAct: boolean;
  /** Days of Login History behind the Login history button (LOGIN_HISTORY_DAYS). */
  historyDays: number;
  /** Why the user's OAuth grants are not known in full; said under the summary, never read as "no grants". */
  grantsCaveat?: GrantsCaveat | null;
}

/** Upper bound on families per page; fewer when the fixed part of the message leaves too little room. */
export const MAX_FAMILIES_PER_PAGE = 20;
/** Families measured to size pages. */
const SIZE_SAMPLE = 40;
/** Below this, paging gets tedious; entries lose detail instead. */
const MIN_FAMILIES_PER_PAGE = 8;
/** Room reserved for each family entry (text + Remove button with its confirm dialog). */
const MIN_ENTRY_CHARS = 420;
/** header, user context, summary, grants caveat, divider, paging context, actions, footer. */
const FIXED_BLOCKS = 8;
/** Each family is its section and the actions block under it (What did it do?). */
const BLOCKS_PER_FAMILY = 2;
const MAX_USER_FINDINGS_CHARS = 2_000;
const MAX_COUNTRIES_LISTED = 10;
const MAX_CHILD_TYPES_LISTED = 6;

const SEVERITY_ORDER: Record<Finding['severity'], number> = { high: 0, medium: 1, low: 2 };

function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function findingLine(f: Finding, max: number): string {
  return `:warning: ${safe(f.message, max)}`;
}

export function userStatusWords(user: SfUser): string[] {
  const words = [user.isActive ? 'active' : 'inactive'];
  if (user.isFrozen === true) words.push('frozen');
  else if (user.isFrozen === null) words.push('freeze state unknown');
  return words;
}

function headerText(user: SfUser): string {
  const marks: string[] = [];
  if (user.isFrozen === true) marks.push('frozen');
  if (!user.isActive) marks.push('inactive');
  const suffix = marks.length > 0 ? ` (${marks.join(', ')})` : '';
  // The suffix must survive truncation of a very long name.
  return truncate(user.name.trim() || user.username, LIMITS.headerText - suffix.length) + suffix;
}

function userContextText(user: SfUser): string {
  const parts = [safe(user.username, 120), userStatusWords(user).join(', ')];
  if (user.profileName) parts.push(safe(user.profileName, 80));
  return parts.join(' · ');
}

function countriesText(countries: readonly string[]): string {
  const listed = countries.slice(0, MAX_COUNTRIES_LISTED).map((c) => safe(c, 40));
  const more = countries.length > listed.length ? `, +${countries.length - listed.length} more` : '';
  return `${plural(countries.length, 'country', 'countries')}${listed.length > 0 ? ` (${listed.join(', ')}${more})` : ''}`;
}

export function totalsLine(assessment: SessionAssessment, now: Date, policy: Policy): string {
  const t = assessment.totals;
  const parts = [`${plural(t.sessions, 'session')} in ${plural(t.families, 'family', 'families')}`];
  if (t.countries.length > 0) parts.push(countriesText(t.countries));
  if (t.oldestCreatedAt) {
    const overPolicy = now.getTime() - t.oldestCreatedAt.getTime() > policy.tokenMaxAgeDays * 86_400_000;
    parts.push(`oldest ${formatAge(t.oldestCreatedAt, now)}${overPolicy ? ` (policy: ${policy.tokenMaxAgeDays} days)` : ''}`);
  }
  return parts.join(' · ');
}

function summaryText(assessment: SessionAssessment, now: Date, policy: Policy): string {
  const lines = [`*${totalsLine(assessment, now, policy)}*`];
  const findings = bySeverity(assessment.userFindings);
  let used = lines[0]?.length ?? 0;
  for (let i = 0; i < findings.length; i += 1) {
    const f = findings[i];
    if (f === undefined) continue;
    const line = findingLine(f, 300);
    const rest = findings.length - i;
    // Keep room for the "+N more" line so the count of hidden findings is never lost.
    if (used + line.length + 40 > MAX_USER_FINDINGS_CHARS) {
      lines.push(`:warning: +${plural(rest, 'more finding')} about this user`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}

type Detail = 'full' | 'compact' | 'minimal';

function childTypes(family: AssessedFamily): string | null {
  const children = family.family.children;
  if (children.length === 0) return null;
  const types = [...new Set(children.map((c) => c.sessionType))];
  const listed = types.slice(0, MAX_CHILD_TYPES_LISTED).map((t) => safe(t, 40));
  const more = types.length > listed.length ? ', …' : '';
  return `+ ${listed.join(', ')}${more} (${formatCount(children.length)})`;
}

function expiryText(expiresAt: Date, now: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  return left > 0 ? `expires in ${formatDuration(left)}` : 'expired';
}

function familyText(family: AssessedFamily, now: Date, detail: Detail): string {
  const root = family.family.root;
  const login = root.login;
  const loggedInAt = login?.loginTime ?? root.createdAt;
  const loginType = root.loginType ?? login?.loginType ?? null;
  const age = `${formatAge(loggedInAt, now)} ago`;
  const place = placeLabel(root.place, detail === 'full' ? 'long' : 'short');
  const own = family.isBotOwn ? " · _(this bot's own session)_" : '';
  const findings = bySeverity(family.findings);
  const children = childTypes(family);
  const lines: string[] = [];

  if (detail === 'full') {
    lines.push(`*${safe(root.sessionType, 40)}*${loginType ? ` · ${safe(loginType, 60)}` : ''}${own}`);
    lines.push(`Logged in ${slackDate(loggedInAt)} (${age})`);
    lines.push(`IP ${safe(root.sourceIp ?? 'unknown', 45)} · ${place ? safe(place, 120) : 'place unknown'}`);
    const client = [login?.browser, login?.platform, login?.application]
      .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
      .map((v) => safe(v, 80));
    if (client.length > 0) lines.push(client.join(' · '));
    lines.push(`${root.securityLevel ? `Security ${safe(root.securityLevel, 40)} · ` : ''}${expiryText(root.expiresAt, now)}`);
    if (children) lines.push(children);
    for (const f of findings) lines.push(findingLine(f, 300));
  } else if (detail === 'compact') {
    const bits = [`*${safe(root.sessionType, 40)}*`];
    if (loginType) bits.push(safe(loginType, 40));
    bits.push(age, safe(root.sourceIp ?? 'IP unknown', 45));
    if (place) bits.push(safe(place, 60));
    bits.push(expiryText(root.expiresAt, now));
    lines.push(bits.join(' · ') + own);
    if (children) lines.push(children);
    const shown = findings.slice(0, 3);
    for (const f of shown) lines.push(findingLine(f, 120));
    if (findings.length > shown.length) lines.push(`:warning: +${plural(findings.length - shown.length, 'more finding')}`);
  } else {
    lines.push(`*${safe(root.sessionType, 30)}* · ${safe(root.sourceIp ?? 'IP unknown', 45)} · ${age}${own}`);
    const top = findings[0];
    if (top) {
      const more = findings.length > 1 ? ` (+${formatCount(findings.length - 1)} more)` : '';
      lines.push(`${findingLine(top, 80)}${more}`);
    }
  }
  return lines.join('\n');
}

function removeButton(family: AssessedFamily, user: SfUser): Button {
  const root = family.family.root;
  const children = family.family.children.length;
  const withChildren = children > 0 ? ` and its ${plural(children, 'child session')}` : '';
  // Kept short: confirm texts count towards Slack's per-message text cap, once per family.
  return button({
    text: 'Remove',
    actionId: ACTIONS.removeSession,
    value: { u: user.id, s: root.id },
    style: 'danger',
    confirm: {
      title: 'Remove session?',
      text: `A second admin must approve ending this ${safe(root.sessionType, 40)} session${withChildren}.`,
      confirm: 'Request removal',
    },
  });
}

function accessoryFor(family: AssessedFamily, input: SessionsMessageInput): Button | undefined {
  return input.canAct && !family.isBotOwn ? removeButton(family, input.user) : undefined;
}

/**
 * The row's second control: a section has one accessory (Remove), so "What did it do?" sits in an
 * actions block under it. Read-only, so offered to every viewer; not on the bot's own session.
 */
function familyActions(family: AssessedFamily, input: SessionsMessageInput, blockId: string): KnownBlock[] {
  if (family.isBotOwn) return [];
  const value = { u: input.user.id, s: family.family.root.id };
  return [actions([button({ text: 'What did it do?', actionId: INVESTIGATE_ACTIONS.session, value })], `inv_${blockId}`.slice(0, 255))];
}

function familyBlock(family: AssessedFamily, input: SessionsMessageInput, blockId: string, budget: number): SectionBlock {
  const accessory = accessoryFor(family, input);
  let block: SectionBlock | undefined;
  for (const detail of ['full', 'compact', 'minimal'] as const) {
    block = section(familyText(family, input.now, detail), blockId, accessory);
    if (blockTextLength([block]) <= budget) return block;
  }
  // Still too long (e.g. a huge budget squeeze): cut the minimal text to whatever room is left.
  const accessoryChars = accessory ? blockTextLength([section('', blockId, accessory)]) : 0;
  const room = Math.max(20, budget - accessoryChars);
  return section(truncate(familyText(family, input.now, 'minimal'), room), blockId, accessory);
}

function actionButtons(input: SessionsMessageInput, page: number, pages: number): Button[] {
  const { user, assessment, canAct } = input;
  const name = safe(user.name || user.username, 80);
  const buttons: Button[] = [];
  if (page < pages) {
    buttons.push(
      button({
        text: `Show more (page ${formatCount(page + 1)} of ${formatCount(pages)})`,
        actionId: ACTIONS.page,
        value: { u: user.id, p: page + 1 },
        style: 'primary',
      }),
    );
  }
  buttons.push(button({ text: 'Login history', actionId: ACTIONS.history, value: { u: user.id, d: input.historyDays } }));
  if (!canAct) return buttons;
  const removable = assessment.families.some((f) => !f.isBotOwn);
  if (removable) {
    buttons.push(
      button({
        text: 'Remove all',
        actionId: ACTIONS.removeAll,
        value: { u: user.id },
        style: 'danger',
        confirm: {
          title: 'Remove all sessions?',
          text: `This asks a second admin to approve ending every session of ${name} (except this bot's own).`,
          confirm: 'Request removal',
        },
      }),
    );
  }
  if (user.isFrozen === true) {
    buttons.push(button({ text: 'Unfreeze user', actionId: ACTIONS.unfreeze, value: { u: user.id } }));
  } else {
    buttons.push(
      button({
        text: 'Freeze user',
        actionId: ACTIONS.freeze,
        value: { u: user.id },
        confirm: {
          title: 'Freeze this user?',
          text: `This asks a second admin to approve freezing ${name}: no new logins until unfrozen.`,
          confirm: 'Request freeze',
        },
      }),
    );
  }
  buttons.push(
    button({
      text: 'Reset password',
      actionId: ACTIONS.resetPassword,
      value: { u: user.id },
      confirm: {
        title: 'Reset the password?',
        text: `This asks a second admin to approve resetting the password of ${name}.`,
        confirm: 'Request reset',
      },
    }),
    button({
      text: 'Revoke OAuth tokens',
      actionId: ACTIONS.revokeTokens,
      value: { u: user.id },
      confirm: {
        title: 'Revoke OAuth tokens?',
        text: `This asks a second admin to approve revoking every connected-app token of ${name}.`,
        confirm: 'Request revocation',
      },
    }),
    // The ellipsis promises a dialog: the listener opens a modal to choose the containment steps.
    button({ text: 'Contain…', actionId: ACTIONS.contain, value: { u: user.id }, style: 'danger' }),
  );
  if (user.isActive) {
    buttons.push(
      button({
        text: 'Deactivate',
        actionId: ACTIONS.deactivate,
        value: { u: user.id },
        style: 'danger',
        confirm: {
          title: 'Deactivate this user?',
          text: `This asks a second admin to approve deactivating ${name}. Reactivating needs a Salesforce admin.`,
          confirm: 'Request deactivation',
        },
      }),
    );
  }
  return buttons;
}

function footerText(input: SessionsMessageInput): string | null {
  if (!input.canAct) return null;
  const bot = /^[UW][A-Z0-9]{2,20}$/.test(input.botUserId) ? `<@${input.botUserId}>` : 'Session Warden';
  return `Buttons only request an action: a second admin must approve before ${bot} carries it out.`;
}

function pagingText(first: number, last: number, total: number): string {
  return `Showing families ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`;
}

function fixedBlocks(
  input: SessionsMessageInput,
  page: number,
  pages: number,
  shown: [number, number],
): {
  top: KnownBlock[];
  bottom: KnownBlock[];
} {
  const { user, assessment, now, policy } = input;
  const top: KnownBlock[] = [
    header(headerText(user)),
    context([userContextText(user)], 'user'),
    section(summaryText(assessment, now, policy), 'summary'),
    ...(input.grantsCaveat ? [context([`:grey_question: ${safe(input.grantsCaveat.text, 600)}`], 'grants_caveat')] : []),
    divider(),
  ];
  const bottom: KnownBlock[] = [];
  const total = assessment.families.length;
  if (pages > 1) bottom.push(context([pagingText(shown[0], shown[1], total)], 'paging'));
  bottom.push(actions(actionButtons(input, page, pages), 'user_actions'));
  const footer = footerText(input);
  if (footer) bottom.push(context([footer], 'footer'));
  return { top, bottom };
}

/**
 * Families per page, fixed for the whole list so "page 2 of 9" stays true. Sized so that most
 * entries (80th percentile) fit with full detail, never more than the blocks or a guaranteed
 * minimum per entry allow; entries that still do not fit lose detail, not their place.
 */
export function familiesPerPage(input: SessionsMessageInput): number {
  const families = input.assessment.families;
  const total = families.length;
  const worst = fixedBlocks(input, 1, 2, [total, total]);
  const room = LIMITS.messageBlockText - blockTextLength([...worst.top, ...worst.bottom]);
  const byBlocks = Math.floor((LIMITS.blocksPerMessage - FIXED_BLOCKS) / BLOCKS_PER_FAMILY);
  const ceiling = Math.max(1, Math.min(MAX_FAMILIES_PER_PAGE, byBlocks, Math.floor(room / MIN_ENTRY_CHARS)));
  if (total === 0) return ceiling;
  // An even sample keeps this cheap for thousands of families and is the same on every page.
  const step = Math.max(1, Math.floor(total / SIZE_SAMPLE));
  const sizes = families
    .filter((_, i) => i % step === 0)
    .map((f) => blockTextLength([section(familyText(f, input.now, 'full'), 'x', accessoryFor(f, input)), ...familyActions(f, input, 'x')]))
    .sort((a, b) => a - b);
  const typical = sizes[Math.min(sizes.length - 1, Math.floor(sizes.length * 0.8))] ?? MIN_ENTRY_CHARS;
  return Math.min(ceiling, Math.max(MIN_FAMILIES_PER_PAGE, Math.floor(room / typical)));
}

function uniqueBlockId(id: string, used: Set<string>): string {
  const base = `fam_${id}`.slice(0, 200);
  let candidate = base;
  for (let n = 2; used.has(candidate); n += 1) candidate = `${base}_${n}`;
  used.add(candidate);
  return candidate;
}

export function sessionsMessage(input: SessionsMessageInput): SlackMessage {
  const { user, assessment } = input;
  const families = assessment.families;
  const perPage = familiesPerPage(input);
  const pages = Math.max(1, Math.ceil(families.length / perPage));
  const page = Math.min(Math.max(1, Math.trunc(Number.isFinite(input.page) ? input.page : 1)), pages);
  const start = (page - 1) * perPage;
  const onPage = families.slice(start, start + perPage);
  const { top, bottom } = fixedBlocks(input, page, pages, [start + 1, start + onPage.length]);

  const entries: KnownBlock[] = [];
  if (onPage.length === 0) {
    entries.push(section('No live Salesforce sessions for this user.', 'no_sessions'));
  } else {
    const room = LIMITS.messageBlockText - blockTextLength([...top, ...bottom]);
    const budget = Math.floor(room / onPage.length);
    const used = new Set<string>();
    for (const family of onPage) {
      const blockId = uniqueBlockId(family.family.root.id, used);
      const below = familyActions(family, input, blockId);
      entries.push(familyBlock(family, input, blockId, budget - blockTextLength(below)), ...below);
    }
  }

  const who = `${user.name || user.username} (${user.username})`;
  const pageNote = pages > 1 ? ` Page ${formatCount(page)} of ${formatCount(pages)}.` : '';
  const text = truncate(`Salesforce sessions for ${safe(who, 300)}: ${totalsLine(assessment, input.now, input.policy)}.${pageNote}`, MAX_FALLBACK_TEXT);
  return { text, blocks: [...top, ...entries, ...bottom] };
}
