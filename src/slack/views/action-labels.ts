/**
 * How each kind of request is named in Slack, and which request button asks for which kind.
 * The words come from the catalogue (domain/action-kinds.ts) so the modal title, the request
 * message and the requester's notice never disagree.
 */
import { ACTION_KINDS, ACTION_KINDS_CATALOGUE } from '../../domain/action-kinds';
import type { ActionKind } from '../../domain/requests';
import { REQUEST_BUTTON_IDS } from './action-ids';

export interface ActionLabel {
  /** Modal title: Slack allows 24 characters. */
  title: string;
  /** What the action does, as the object of a sentence ("asks to Freeze user …"). */
  verb: string;
  /** Approvals needed before it runs (the two-person rule; deactivation needs a second approver). */
  approvals: number;
}

export const ACTION_LABELS: Readonly<Record<ActionKind, ActionLabel>> = Object.fromEntries(
  ACTION_KINDS.map((kind) => {
    const { title, verb, approvals } = ACTION_KINDS_CATALOGUE[kind];
    return [kind, { title, verb, approvals }];
  }),
) as Record<ActionKind, ActionLabel>;

/**
 * Request button action id → kind. Indexable by any string because listeners look up the
 * action_id Slack sent back; an unknown id reads as undefined. No prototype, so an id such as
 * "toString" cannot resolve to an inherited function.
 */
export const REQUEST_ACTION_KINDS: Readonly<Record<string, ActionKind>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, ActionKind>, Object.fromEntries(ACTION_KINDS.map((k) => [REQUEST_BUTTON_IDS[k], k]))),
);

/** The action ids of the request buttons, for registering one listener for all of them. */
export const REQUEST_ACTION_IDS: readonly string[] = ACTION_KINDS.map((k) => REQUEST_BUTTON_IDS[k]);
