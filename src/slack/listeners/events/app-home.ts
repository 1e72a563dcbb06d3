import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps';

type HomeOpenedArgs = AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>;

/**
 * `app_home_opened`: Slack sends it for the Messages tab too; only the Home tab is published.
 * Bolt acknowledges events itself, so the publish happens after Slack has its 200.
 */
export function appHomeOpened(deps: SlackDeps) {
  return async ({ event, body }: HomeOpenedArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      await deps.home.opened(event.user, body.team_id);
    } catch (err) {
      deps.logger.error({ err, slackUser: event.user }, 'could not build the App Home tab');
    }
  };
}
