import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { decodeDigestPageValue } from '../../views/action-ids';
import { DIGEST_PAGE_SIZE, digestPageMessage, digestPageOffset } from '../../views/digest';
import { errorMessage } from '../../views';
import { allowed, answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * "Show the rest" on an alert digest, and "Next page" under a page of it: the next alerts,
 * answered only to the clicker (ephemeral). A page replaces the clicker's own previous page; the
 * digest in the channel is never overwritten.
 */
export function digestPageButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, respond } = args;
    await ack();
    await answering(deps, respond, 'alert digest page', async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', 'alert digest page'))) return;
      const value = decodeDigestPageValue(args.action.value);
      const slice = value ? await deps.digests.slice(value.d, digestPageOffset(value.p), DIGEST_PAGE_SIZE) : null;
      if (!value || !slice) {
        await reply(respond, errorMessage('That digest is no longer known to the bot; the alerts are in the App Home tab and the security channel.'));
        return;
      }
      // Bolt types `container` as any; Slack documents is_ephemeral on message containers.
      const ownPage = (body.container as { is_ephemeral?: unknown }).is_ephemeral === true;
      await reply(respond, digestPageMessage({ digestId: slice.id, total: slice.total, page: value.p, items: slice.items, now: deps.now() }), ownPage);
    });
  };
}
