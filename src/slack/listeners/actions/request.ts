import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ActionKind } from '../../../requests/types';
import { isIntegrationSession } from '../../../rules/integration';
import type { SlackDeps } from '../../deps';
import { decodeValue, isSessionValue, isUserValue, requestModal, REQUEST_ACTION_KINDS, refusalMessage, errorMessage } from '../../views';
import { answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** What the modal carries to the submission handler (≤ 3,000 characters; ids only). */
export interface RequestMetadata {
  k: ActionKind;
  u: string;
  s?: string;
  /** The /sessions message's response_url, to confirm to the requester where they asked. */
  r?: string;
}

/**
 * A request button (Remove, Remove all, Freeze…): open the modal within the trigger's 3 s with
 * a loading view, then read the blast radius from Salesforce and fill it in.
 */
export function requestButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, client, respond, action } = args;
    await ack();
    await answering(deps, respond, 'request button', async () => {
      const kind = REQUEST_ACTION_KINDS[action.action_id];
      const value = decodeValue(action.value);
      if (!kind || !(isUserValue(value) || isSessionValue(value))) {
        await reply(respond, errorMessage('That button is out of date; run /sessions again.'));
        return;
      }
      const decision = await deps.access.decide(body.user.id, body.team?.id ?? body.user.team_id, 'admin', `request ${kind}`);
      if (!decision.allowed) {
        await reply(respond, refusalMessage());
        return;
      }
      if (value.u === deps.salesforceUserId()) {
        await reply(respond, errorMessage("That is the bot's own Salesforce user; it cannot act on itself."));
        return;
      }
      const meta: RequestMetadata = { k: kind, u: value.u, ...(isSessionValue(value) ? { s: value.s } : {}), ...(body.response_url ? { r: body.response_url } : {}) };
      const privateMetadata = JSON.stringify(meta);
      // The trigger is valid for 3 s: open the modal before asking Salesforce anything.
      const unknownTarget = { userId: value.u, username: '', name: '', email: '', isActive: true, isFrozen: null };
      const opened = (await client.views.open({
        trigger_id: body.trigger_id,
        view: requestModal({ kind, target: unknownTarget, blastRadius: null, privateMetadata, loading: true }),
      })) as { view?: { id?: string } };
      const viewId = opened.view?.id;
      if (!viewId) return;

      // One Composite call reads the user, the sessions and the OAuth grants.
      const read = await deps.activity.read({ byId: value.u }, { now: deps.now(), loginWindowHours: 0, loginLimit: 1 });
      const [target] = read.users;
      if (!target) {
        await reply(respond, errorMessage('That Salesforce user no longer exists.'));
        return;
      }
      const targetView = { userId: target.id, username: target.username, name: target.name, email: target.email, isActive: target.isActive, isFrozen: target.isFrozen };
      const sessions = read.sessions;
      const grants = read.grants ?? [];
      const affected = kind === 'remove_session' && isSessionValue(value) ? sessions.filter((x) => x.id === value.s || x.parentId === value.s) : sessions;
      // Roots only: a UI login's own 'API' child session is part of that login, not an integration.
      const integration = affected.filter((x) => x.parentId === null && isIntegrationSession(x));
      const isIntegrationUser = /integration|api only/i.test(target.profileName ?? '') || (sessions.length > 0 && sessions.every((x) => x.parentId !== null || isIntegrationSession(x)));
      const warnings: string[] = [];
      if (kind === 'remove_session' && affected.length === 0) warnings.push('This session has already ended; the request would change nothing.');
      const view = requestModal({
        kind,
        target: targetView,
        privateMetadata,
        grants: grants.map((g) => ({ appName: g.appName, useCount: g.useCount, lastUsedAt: g.lastUsedAt })),
        blastRadius: {
          sessionsToEnd: ['remove_session', 'remove_all', 'contain'].includes(kind) ? affected.length : 0,
          families: affected.filter((x) => x.parentId === null).length,
          integrationSessions: integration.length,
          sessionTypes: [...new Set(affected.map((x) => x.sessionType))],
          connectedApps: grants.map((g) => ({ appName: g.appName, useCount: g.useCount, lastUsedAt: g.lastUsedAt })),
          isIntegrationUser,
          isBotTarget: false,
          profileName: target.profileName,
          warnings,
        },
      });
      await client.views.update({ view_id: viewId, view });
    });
  };
}
