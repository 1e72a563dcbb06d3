import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { decodeSuppressionId, errorMessage } from '../../views';
import { suppressionsListMessage } from '../../views/suppressions';
import { allowed, answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** "Remove" in the `/sessions suppressions` list: ends the suppression (audited) and shows the list again. */
export function removeSuppressionButton(deps: SlackDeps) {
  return async ({ ack, body, respond, action }: ButtonArgs): Promise<void> => {
    await ack();
    await answering(deps, respond, 'remove suppression button', async () => {
      const id = decodeSuppressionId(action.value);
      if (!id) {
        await reply(respond, errorMessage('That button is out of date; run /sessions suppressions again.'));
        return;
      }
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', `remove suppression ${id}`))) return;
      const outcome = await deps.suppressions.remove(id, body.user.id);
      const notice = 'problem' in outcome ? outcome.problem : `Removed ${id}: new ${outcome.removed.rule} alerts about this user are posted again.`;
      const { suppressions, users } = await deps.suppressions.list();
      await reply(respond, suppressionsListMessage({ suppressions, users, now: deps.now(), notice }), true);
    });
  };
}
