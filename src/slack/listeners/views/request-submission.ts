import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isActionKind } from '../../../domain/action-kinds';
import { REQUEST_PROBLEMS } from '../../../operations';
import type { SlackDeps } from '../../deps';
import { errorMessage, parseRequestSubmission, refusalMessage, accessUncheckedMessage } from '../../views';
import type { SlackMessage } from '../../views/message';
import type { RequestMetadata } from '../actions/request';
import { newReference } from '../shared';

function readMetadata(text: string): RequestMetadata | null {
  try {
    const m = JSON.parse(text) as Partial<RequestMetadata>;
    if (!isActionKind(m.k) || typeof m.u !== 'string') return null;
    // `s` was one family id before alerts could name several; both forms are read.
    const families: unknown = m.s;
    const s = typeof families === 'string' ? [families] : Array.isArray(families) && families.every((x) => typeof x === 'string') ? families : undefined;
    return { k: m.k, u: m.u, ...(s ? { s } : {}), ...(typeof m.r === 'string' ? { r: m.r } : {}) };
  } catch {
    return null;
  }
}

/**
 * The request modal's submit: validate (errors go back into the modal), then hand the form to
 * the operations, which record the request with its evidence and queue the approval message
 * and the requester's confirmation. Whatever goes wrong is said to the requester, in words.
 */
const UNSEALED: Record<'not_ours' | 'other_user' | 'expired', string> = {
  not_ours: 'This form was not opened by Session Warden; nothing was requested. Use a button in a /sessions answer or an alert.',
  other_user: 'This form was opened for someone else; nothing was requested. Use the button yourself.',
  expired: 'This form is out of date; close it and use the button again.',
};

export function requestSubmission(deps: SlackDeps) {
  return async ({ ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    // Checked before anything in it is read: a forged form is answered in the form, never acted on.
    const unsealed = deps.modalSeal.open(view.private_metadata, body.user.id, deps.now().getTime());
    if ('problem' in unsealed) {
      deps.logger.warn({ slackUser: body.user.id, problem: unsealed.problem }, 'refused a request form the bot did not open for this person');
      await ack({ response_action: 'errors', errors: { reason: UNSEALED[unsealed.problem] } });
      return;
    }
    const meta = readMetadata(unsealed.text);
    const parsed = parseRequestSubmission(view.state.values);
    if ('errors' in parsed) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    if (!meta) {
      await ack({ response_action: 'errors', errors: { reason: 'This form is out of date; close it and use the button again.' } });
      return;
    }
    await ack();
    const requester = body.user.id;
    // A modal has no response_url of its own: answer where /sessions was run, else in the app's DM.
    const tell = async (message: SlackMessage): Promise<void> => {
      if (meta.r) await deps.replyLater(meta.r, message);
      else await client.chat.postMessage({ channel: requester, text: message.text, blocks: message.blocks });
    };
    const ref = newReference();
    try {
      const decision = await deps.access.decide(requester, body.team?.id ?? body.user.team_id, 'admin', `submit ${meta.k}`);
      if (!decision.allowed) {
        await tell(decision.failure ? accessUncheckedMessage(decision.failure) : refusalMessage());
        return;
      }
      const outcome = await deps.ops.submitRequest({
        kind: meta.k,
        userId: meta.u,
        ...(meta.s ? { familyIds: meta.s } : {}),
        reason: parsed.reason,
        requestedBy: requester,
        ...(parsed.appNames ? { appNames: parsed.appNames } : {}),
        ...(parsed.resetPassword !== undefined ? { resetPassword: parsed.resetPassword } : {}),
        ...(meta.r ? { confirmTo: meta.r } : {}),
      });
      if ('problem' in outcome) await tell(errorMessage(`${REQUEST_PROBLEMS[outcome.problem]} Nothing was requested.`));
    } catch (err) {
      deps.logger.error({ ref, err, kind: meta.k }, 'could not record a request');
      await tell(errorMessage(`${deps.describeError(err)} Nothing was requested.`, ref)).catch((tellErr: unknown) =>
        deps.logger.error({ ref, err: tellErr }, 'could not tell the requester that the request failed'),
      );
    }
  };
}
