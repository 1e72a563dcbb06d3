import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { RULES } from '../../../rules/registry';
import type { SlackDeps } from '../../deps';
import { decodeMarkExpectedValue, errorMessage } from '../../views';
import { suppressModal } from '../../views/suppress-modal';
import { allowed, answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** What the modal carries to its submission (≤ 3,000 characters): the alert group and the apps offered as scopes. */
export interface SuppressMetadata {
  g: string;
  a: string[];
}

const MAX_APPS = 8;
const MAX_APP_NAME = 200;
const TITLES = new Map(RULES.map((r) => [r.meta.id, r.meta.title]));

/** "Mark expected…" on an alert: who may (admins and approvers), then the modal about that alert. */
export function markExpectedButton(deps: SlackDeps) {
  return async ({ ack, body, client, respond, action }: ButtonArgs): Promise<void> => {
    await ack();
    await answering(deps, respond, 'mark expected button', async () => {
      const value = decodeMarkExpectedValue(action.value);
      if (!value) {
        await reply(respond, errorMessage('That button is out of date; nothing was suppressed.'));
        return;
      }
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', `mark expected ${value.g}`))) return;
      const draft = await deps.suppressions.prepare(value.g);
      if ('problem' in draft) {
        await reply(respond, errorMessage(draft.problem));
        return;
      }
      // At most 8 apps of ≤ 200 characters: the radio's 10 options and private_metadata's 3,000 characters hold them.
      const apps = (draft.appScope ? draft.facts.apps : []).filter((a) => a.length <= MAX_APP_NAME).slice(0, MAX_APPS);
      const meta: SuppressMetadata = { g: value.g, a: apps };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: suppressModal({
          rule: { id: draft.alert.rule, title: TITLES.get(draft.alert.rule) ?? draft.alert.rule },
          user: draft.user ?? { name: draft.alert.userId, username: draft.alert.userId },
          ips: draft.facts.ips,
          apps,
          privateMetadata: JSON.stringify(meta),
        }),
      });
    });
  };
}
