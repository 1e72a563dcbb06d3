import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ActionKind } from '../../../domain/requests';
import { REQUEST_PROBLEMS, type RequestSubject } from '../../../operations';
import type { SlackDeps } from '../../deps';
import {
  ACTION_LABELS,
  ALERT_ACTIONS,
  decodeAlertRemoveValue,
  decodeValue,
  errorMessage,
  isAlertSessionsValue,
  isSessionValue,
  isUserValue,
  REQUEST_ACTION_KINDS,
  requestModal,
} from '../../views';
import { modalNotice } from '../../views/modal-notice';
import { allowed, answering, newReference, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** What the modal carries to the submission handler (≤ 3,000 characters; ids only). */
export interface RequestMetadata {
  k: ActionKind;
  u: string;
  /** Remove session: the family roots chosen. */
  s?: string[];
  /** The /sessions message's response_url, to confirm to the requester where they asked. */
  r?: string;
}

/** What a request button asks about: a /sessions button (one family or the user) or an alert's Remove these sessions. */
function subjectOf(actionId: string, rawValue: string | undefined): RequestSubject | null {
  if (actionId === ALERT_ACTIONS.removeSessions) {
    const value = decodeAlertRemoveValue(rawValue);
    // The key form (too many sessions for a button value) needs the stored alert: not offered by this listener yet.
    return isAlertSessionsValue(value) ? { kind: 'remove_session', userId: value.u, familyIds: value.ss } : null;
  }
  const kind = REQUEST_ACTION_KINDS[actionId];
  const value = decodeValue(rawValue);
  if (!kind) return null;
  if (isSessionValue(value)) return kind === 'remove_session' ? { kind, userId: value.u, familyIds: [value.s] } : null;
  return isUserValue(value) && kind !== 'remove_session' ? { kind, userId: value.u } : null;
}

/**
 * A request button (Remove, Remove all, Freeze…): open the modal within the trigger's 3 s with
 * a loading view, then read the blast radius and fill it in — or say in the modal why not.
 */
export function requestButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, client, respond, action } = args;
    await ack();
    await answering(deps, respond, 'request button', async () => {
      const subject = subjectOf(action.action_id, action.value);
      if (!subject) {
        await reply(respond, errorMessage('That button is out of date; run /sessions again.'));
        return;
      }
      const { kind } = subject;
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', `request ${kind}`))) return;
      const meta: RequestMetadata = {
        k: kind,
        u: subject.userId,
        ...(subject.familyIds ? { s: subject.familyIds } : {}),
        ...(body.response_url ? { r: body.response_url } : {}),
      };
      // Sealed for this person: the submission is refused unless it carries exactly what the bot put here.
      const privateMetadata = deps.modalSeal.seal(JSON.stringify(meta), body.user.id, deps.now().getTime());
      const unknownTarget = { userId: subject.userId, username: '', name: '', email: '', isActive: true, isFrozen: null };
      // The trigger is valid for 3 s: open the modal before asking Salesforce anything.
      const opened = (await client.views.open({
        trigger_id: body.trigger_id,
        view: requestModal({ kind, target: unknownTarget, blastRadius: null, privateMetadata, loading: true, now: deps.now() }),
      })) as { view?: { id?: string } };
      const viewId = opened.view?.id;
      if (!viewId) return;
      const title = ACTION_LABELS[kind].title;
      try {
        const prepared = await deps.ops.prepareRequest(subject);
        const view =
          'problem' in prepared
            ? modalNotice(title, REQUEST_PROBLEMS[prepared.problem])
            : requestModal({
                kind,
                target: {
                  userId: prepared.target.id,
                  username: prepared.target.username,
                  name: prepared.target.name,
                  email: prepared.target.email,
                  isActive: prepared.target.isActive,
                  isFrozen: prepared.target.isFrozen,
                },
                privateMetadata,
                grants: prepared.grants,
                grantsCaveat: prepared.grantsCaveat,
                blastRadius: prepared.blastRadius,
                now: deps.now(),
              });
        await client.views.update({ view_id: viewId, view });
      } catch (err) {
        const ref = newReference();
        deps.logger.error({ ref, err, kind }, 'could not prepare a request');
        await client.views.update({ view_id: viewId, view: modalNotice(title, `${deps.describeError(err)} Nothing was requested.`, ref) });
      }
    });
  };
}
