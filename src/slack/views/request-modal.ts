/**
 * The modal an admin fills in to ask for an action: who is targeted, what will stop working,
 * the action's options and a mandatory reason. Also parses what the modal submits.
 */
import type { Checkboxes, InputBlock, KnownBlock, ModalView, Option, PlainTextElement, PlainTextInput } from '@slack/types';
import { ACTION_KINDS_CATALOGUE } from '../../domain/action-kinds';
import { nothingToChange } from '../../domain/no-change';
import type { ActionKind } from '../../domain/requests';
import type { GrantsCaveat } from '../../domain/types';
import { ACTION_LABELS } from './action-labels';
import { LIMITS, context, divider, section } from './blocks';
import { concernedText } from './concerned-sessions';
import { formatCount, plural, safe, slackDate, truncate, utcLabel } from './text';

export type { ConcernedSessionView } from './concerned-sessions';

export const REQUEST_CALLBACK_ID = 'action_request';
export const MAX_PRIVATE_METADATA = 3_000;
export const REASON_MIN_LENGTH = 5;
export const REASON_MAX_LENGTH = 1_000;

export const BLOCK_IDS = {
  reason: 'reason',
  grants: 'grants',
  containOptions: 'contain_options',
} as const;
export const INPUT_ACTION_IDS = {
  reason: 'reason_input',
  grants: 'grants_input',
  containOptions: 'contain_options_input',
} as const;
export const RESET_PASSWORD_OPTION = 'reset_password';

/** Slack caps a checkbox group at 10 options, so longer grant lists are split over several inputs. */
const OPTIONS_PER_CHECKBOX_GROUP = 10;
/** Beyond this the modal would be a wall of checkboxes; Contain revokes everything instead. */
export const MAX_GRANT_OPTIONS = 50;
/** Slack's option value cap; the executor matches app names exactly, so names are cut, never decorated. */
const OPTION_VALUE_MAX = 150;
const OPTION_TEXT_MAX = 75;
const APPS_LISTED = 5;
const TITLE_MAX = 24;

export interface ModalTarget {
  userId: string;
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  isFrozen: boolean | null;
}

import type { AppUse, BlastRadius } from '../../domain/blast-radius';

export type { BlastRadius };
export type ConnectedAppUse = AppUse;

export interface RequestModalInput {
  kind: ActionKind;
  target: ModalTarget;
  /** null while it is still being read (the loading view). */
  blastRadius: BlastRadius | null;
  grants?: ConnectedAppUse[];
  /** Why the grants are not known in full; with `hidden` / `unreadable` nothing can be picked to revoke. */
  grantsCaveat?: GrantsCaveat | null;
  privateMetadata: string;
  loading?: boolean;
  /** Session ages are counted to this instant (when the blast radius was read). */
  now: Date;
}

function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

function targetLine(t: ModalTarget): string {
  const state = [t.isActive ? 'active' : 'inactive'];
  if (t.isFrozen === true) state.push('frozen');
  if (t.isFrozen === null) state.push('frozen state unknown');
  return `*${safe(t.name, 120)}* (${safe(t.username, 120)}) · Salesforce id \`${safe(t.userId, 40)}\` · ${state.join(', ')}`;
}

function useCountText(app: ConnectedAppUse): string {
  return app.useCount === null ? 'use count unknown' : plural(app.useCount, 'use');
}

function appUse(app: ConnectedAppUse): string {
  const last = app.lastUsedAt ? `last used ${slackDate(app.lastUsedAt)}` : 'never used';
  return `${safe(app.appName, 80)} — ${useCountText(app)}, ${last}`;
}

function appList(apps: readonly ConnectedAppUse[]): string {
  const shown = apps.slice(0, APPS_LISTED).map(appUse).join('; ');
  const more = apps.length - APPS_LISTED;
  return more > 0 ? `${shown}; and ${formatCount(more)} more` : shown;
}

/** Several OauthToken rows can belong to one app; the request names apps, so show one line per app. */
function mergeGrants(grants: readonly ConnectedAppUse[]): ConnectedAppUse[] {
  const byName = new Map<string, ConnectedAppUse>();
  for (const g of grants) {
    const prev = byName.get(g.appName);
    if (!prev) {
      byName.set(g.appName, { ...g });
      continue;
    }
    // One unknown count makes the app's total unknown; a partial sum would understate it.
    prev.useCount = prev.useCount === null || g.useCount === null ? null : prev.useCount + g.useCount;
    if (g.lastUsedAt && (!prev.lastUsedAt || g.lastUsedAt > prev.lastUsedAt)) prev.lastUsedAt = g.lastUsedAt;
  }
  return [...byName.values()];
}

const endsSessions = (kind: ActionKind): boolean => ACTION_KINDS_CATALOGUE[kind].endsSessions;
const RESETS_PASSWORD_NOTE = 'The temporary password Salesforce generates is discarded; Salesforce e-mails the user a reset link';

/** The "What will stop working" lines, most consequential first. */
function impactLines(kind: ActionKind, target: ModalTarget, br: BlastRadius): string[] {
  const lines: string[] = [];
  if (br.isBotTarget) lines.push(":no_entry: This is the bot's own Salesforce user; Session Warden never acts on itself");
  if (endsSessions(kind)) {
    if (br.sessionsToEnd > 0) {
      const types =
        br.sessionTypes.length > 0
          ? ` (${br.sessionTypes
              .slice(0, 8)
              .map((t) => safe(t, 40))
              .join(', ')})`
          : '';
      lines.push(`Ends ${plural(br.sessionsToEnd, 'session')} in ${plural(br.families, 'family', 'families')}${types}`);
    } else {
      lines.push('No open session to end right now');
    }
    if (br.integrationSessions > 0) {
      const apps = br.connectedApps.length > 0 ? ` (connected apps using this user: ${appList(br.connectedApps)})` : '';
      lines.push(`:warning: ${plural(br.integrationSessions, 'integration session')} will stop${apps}`);
    }
  }
  if (br.isIntegrationUser) {
    const profile = br.profileName ? ` (profile ${safe(br.profileName, 80)})` : '';
    lines.push(`:warning: This is an integration user${profile}: jobs that log in as it will fail`);
  }
  switch (kind) {
    case 'freeze':
      lines.push('Blocks new logins until someone unfreezes the user; open sessions are not ended by freezing');
      if (target.isFrozen === true) lines.push(':information_source: The user is already frozen; this changes nothing');
      break;
    case 'unfreeze':
      lines.push('Lets the user log in again');
      if (target.isFrozen === false) lines.push(':information_source: The user is not frozen; this changes nothing');
      break;
    case 'reset_password':
      lines.push(RESETS_PASSWORD_NOTE);
      break;
    case 'revoke_tokens':
      lines.push('Apps you pick below lose their access and refresh tokens; their users must authorize them again');
      break;
    case 'deactivate':
      lines.push('The user can no longer log in and frees their licence; Salesforce keeps their records');
      if (!target.isActive) lines.push(':information_source: The user is already inactive; this changes nothing');
      break;
    case 'contain':
      if (br.connectedApps.length > 0) lines.push(`Revokes every OAuth grant: ${appList(br.connectedApps)}`);
      break;
    default:
      break;
  }
  const approvals = ACTION_LABELS[kind].approvals;
  if (approvals === 2) lines.push('Deactivate needs two approvers');
  for (const w of br.warnings) lines.push(`:warning: ${safe(w, 300)}`);
  return lines;
}

function grantOption(app: ConnectedAppUse): Option {
  const last = app.lastUsedAt ? `last used ${utcLabel(app.lastUsedAt)}` : 'never used';
  return {
    // Option text is plain: Slack does not render <!date> tokens or escapes there.
    text: plain(`${app.appName} — ${useCountText(app)}`, OPTION_TEXT_MAX),
    description: plain(last, OPTION_TEXT_MAX),
    value: app.appName.slice(0, OPTION_VALUE_MAX),
  };
}

function checkboxInput(blockId: string, actionId: string, label: string, options: Option[], initial: Option[]): InputBlock {
  const element: Checkboxes = { type: 'checkboxes', action_id: actionId, options };
  if (initial.length > 0) element.initial_options = initial;
  // Optional so Slack's own "required" check never hides our clearer error message.
  return { type: 'input', block_id: blockId, optional: true, label: plain(label, 2_000), element };
}

function grantBlocks(grants: readonly ConnectedAppUse[]): KnownBlock[] {
  const apps = mergeGrants(grants);
  if (apps.length === 0) {
    return [section(':white_check_mark: This user has no connected-app grants; there is nothing to revoke.', 'no_grants')];
  }
  const shown = apps.slice(0, MAX_GRANT_OPTIONS);
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < shown.length; i += OPTIONS_PER_CHECKBOX_GROUP) {
    const options = shown.slice(i, i + OPTIONS_PER_CHECKBOX_GROUP).map(grantOption);
    const n = i / OPTIONS_PER_CHECKBOX_GROUP;
    const blockId = n === 0 ? BLOCK_IDS.grants : `${BLOCK_IDS.grants}_${n + 1}`;
    const label = n === 0 ? 'Connected apps to revoke' : 'More connected apps to revoke';
    blocks.push(checkboxInput(blockId, INPUT_ACTION_IDS.grants, label, options, options));
  }
  if (apps.length > shown.length) {
    blocks.push(context([`${formatCount(apps.length - shown.length)} more apps are not listed; use Contain account to revoke every grant.`]));
  }
  return blocks;
}

function containBlocks(): KnownBlock[] {
  const plan = [
    '*Plan, in this order*',
    '1. Freeze the user (no new logins)',
    '2. Remove all sessions',
    '3. Revoke all OAuth tokens',
    '4. (optional) Reset the password',
  ].join('\n');
  const option: Option = { text: plain('Also reset the password (Salesforce e-mails the user)', OPTION_TEXT_MAX), value: RESET_PASSWORD_OPTION };
  return [section(plan, 'contain_plan'), checkboxInput(BLOCK_IDS.containOptions, INPUT_ACTION_IDS.containOptions, 'Options', [option], [])];
}

/** Names each session that ends, with what the rules said about it, so the requester sees what they ask for. */
function concernedBlock(br: BlastRadius, now: Date): KnownBlock {
  const title = `*${br.concerned.length === 1 ? 'Session' : 'Sessions'} this ends*`;
  const list = concernedText(br.concerned, now, LIMITS.sectionText - title.length - 1);
  return section(`${title}\n${list.text}`, 'concerned');
}

function reasonInput(): InputBlock {
  const element: PlainTextInput = {
    type: 'plain_text_input',
    action_id: INPUT_ACTION_IDS.reason,
    multiline: true,
    min_length: REASON_MIN_LENGTH,
    max_length: REASON_MAX_LENGTH,
  };
  return { type: 'input', block_id: BLOCK_IDS.reason, label: plain('Why? (shown to the approver and kept in the audit trail)', 2_000), element };
}

/**
 * The request modal. `loading` is the first view, opened within the trigger's 3 seconds; the
 * full view replaces it (views.update) once the blast radius has been read from Salesforce.
 */
export function requestModal(input: RequestModalInput): ModalView {
  if (input.privateMetadata.length > MAX_PRIVATE_METADATA) {
    throw new Error(`private_metadata is ${input.privateMetadata.length} characters, Slack allows ${MAX_PRIVATE_METADATA}`);
  }
  const label = ACTION_LABELS[input.kind];
  const base = {
    type: 'modal' as const,
    callback_id: REQUEST_CALLBACK_ID,
    title: plain(label.title, TITLE_MAX),
    private_metadata: input.privateMetadata,
  };
  const br = input.blastRadius;
  if (input.loading === true || br === null) {
    return {
      ...base,
      close: plain('Cancel', TITLE_MAX),
      // Opened before Salesforce has been asked anything, so it names nobody yet.
      blocks: [section(':hourglass_flowing_sand: Reading the user and the blast radius from Salesforce…', 'loading')],
    };
  }

  const blocks: KnownBlock[] = [section(targetLine(input.target), 'target')];
  const lines = impactLines(input.kind, input.target, br);
  blocks.push(section(`*What will stop working*\n${lines.map((l) => `• ${l}`).join('\n')}`, 'impact'));
  if (endsSessions(input.kind) && !br.isBotTarget && br.concerned.length > 0) blocks.push(concernedBlock(br, input.now));

  // Nothing can be asked for: no submit button and no inputs, just the explanation.
  const grants = input.grants ?? br.connectedApps;
  const caveat = input.grantsCaveat ?? null;
  // Unknown grants are never "no grants": the modal says why they cannot be listed.
  const grantsUnknown = caveat !== null && caveat.kind !== 'partial';
  if (input.kind === 'contain' && grantsUnknown) {
    blocks.push(
      context([`:grey_question: ${safe(caveat.text, 600)} Step 3 (revoke all OAuth tokens) will report that instead of revoking.`], 'grants_unknown'),
    );
  }
  const nothingToRevoke = input.kind === 'revoke_tokens' && (grants.length === 0 || grantsUnknown);
  // The impact lines above already say why; offering "Request approval" would ask approvers to approve a no-op.
  const noOp = nothingToChange(input.kind, input.target, br) !== null;
  if (br.isBotTarget || nothingToRevoke || noOp) {
    if (nothingToRevoke)
      blocks.push(
        ...(grantsUnknown ? [section(`:grey_question: ${safe(caveat.text, 600)} Nothing can be picked to revoke.`, 'grants_unknown')] : grantBlocks(grants)),
      );
    return { ...base, close: plain('Close', TITLE_MAX), blocks };
  }

  blocks.push(divider());
  if (input.kind === 'revoke_tokens') blocks.push(...grantBlocks(grants));
  if (input.kind === 'revoke_tokens' && caveat?.kind === 'partial') blocks.push(context([`:warning: ${safe(caveat.text, 600)}`], 'grants_partial'));
  if (input.kind === 'contain') blocks.push(...containBlocks());
  blocks.push(reasonInput());
  const who = label.approvals === 2 ? 'Two approvers' : 'An approver';
  blocks.push(context([`${who} must approve before anything happens in Salesforce; you cannot approve your own request.`]));
  return { ...base, submit: plain('Request approval', TITLE_MAX), close: plain('Cancel', TITLE_MAX), blocks };
}

/** The parts of Slack's `view.state.values` this modal reads (Bolt's ViewStateValue fits it). */
export type SubmittedValues = Record<string, Record<string, { value?: string | null; selected_options?: readonly { value: string }[] | null }>>;

export type RequestSubmission = { reason: string; appNames?: string[]; resetPassword?: boolean } | { errors: Record<string, string> };

const GRANT_BLOCK = /^grants(_\d+)?$/;

/** Validates a submitted request modal; errors are keyed by block id for `response_action: 'errors'`. */
export function parseRequestSubmission(values: SubmittedValues): RequestSubmission {
  const errors: Record<string, string> = {};
  const reason = (values[BLOCK_IDS.reason]?.[INPUT_ACTION_IDS.reason]?.value ?? '').trim();
  if (reason.length < REASON_MIN_LENGTH) errors[BLOCK_IDS.reason] = `Give a reason of at least ${REASON_MIN_LENGTH} characters`;
  else if (reason.length > REASON_MAX_LENGTH) errors[BLOCK_IDS.reason] = `Keep the reason under ${REASON_MAX_LENGTH} characters`;

  const out: { reason: string; appNames?: string[]; resetPassword?: boolean } = { reason };
  const grantBlocksSeen = Object.keys(values).filter((id) => GRANT_BLOCK.test(id));
  if (grantBlocksSeen.length > 0) {
    const names = grantBlocksSeen.flatMap((id) => (values[id]?.[INPUT_ACTION_IDS.grants]?.selected_options ?? []).map((o) => o.value));
    const unique = [...new Set(names)];
    if (unique.length === 0) errors[BLOCK_IDS.grants] = 'Pick at least one connected app to revoke';
    out.appNames = unique;
  }
  const contain = values[BLOCK_IDS.containOptions];
  if (contain !== undefined) {
    const picked = contain[INPUT_ACTION_IDS.containOptions]?.selected_options ?? [];
    out.resetPassword = picked.some((o) => o.value === RESET_PASSWORD_OPTION);
  }
  return Object.keys(errors).length > 0 ? { errors } : out;
}
