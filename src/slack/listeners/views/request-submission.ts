import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { assessSessions } from '../../../rules/assess';
import { requiredApprovalsFor } from '../../../requests/approval-rules';
import { buildEvidence } from '../../../requests/evidence';
import type { ActionKind } from '../../../requests/types';
import type { RequestDeps, SlackDeps } from '../../deps';
import { parseRequestSubmission, requestConfirmation } from '../../views';
import type { RequestMetadata } from '../actions/request';

const KINDS: readonly ActionKind[] = ['remove_session', 'remove_all', 'freeze', 'unfreeze', 'reset_password', 'revoke_tokens', 'deactivate', 'contain'];

function readMetadata(text: string): RequestMetadata | null {
  try {
    const m = JSON.parse(text) as Partial<RequestMetadata>;
    if (typeof m.k !== 'string' || !KINDS.includes(m.k) || typeof m.u !== 'string') return null;
    return { k: m.k, u: m.u, ...(typeof m.s === 'string' ? { s: m.s } : {}), ...(typeof m.r === 'string' ? { r: m.r } : {}) };
  } catch {
    return null;
  }
}

/**
 * The request modal's submit: validate (errors go back into the modal), then record the request
 * with a snapshot of the evidence, post it for approval, and confirm to the requester.
 */
export function requestSubmission(deps: SlackDeps, requests: RequestDeps) {
  return async ({ ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const meta = readMetadata(view.private_metadata);
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
    const tell = async (text: string) => {
      if (!meta.r) return;
      await fetch(meta.r, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }) });
    };
    try {
      const decision = await deps.access.decide(requester, body.team?.id ?? body.user.team_id, 'admin', `submit ${meta.k}`);
      if (!decision.allowed) return;
      if (meta.u === deps.salesforceUserId()) {
        await tell(":warning: That is the bot's own Salesforce user; it cannot act on itself. Nothing was requested.");
        return;
      }
      const now = deps.now();
      const activity = await deps.activity.read({ byId: meta.u }, { now, loginWindowHours: 24, loginLimit: 200 });
      const user = activity.users[0];
      if (!user) {
        await tell(':warning: That Salesforce user no longer exists; nothing was requested.');
        return;
      }
      const assessment = assessSessions({ sessions: activity.sessions, logins: activity.recentLogins, grants: activity.grants ?? [], policy: deps.policy, now, botUserId: deps.salesforceUserId() ?? '' });
      const params: Record<string, unknown> = {};
      if (meta.k === 'remove_session' && meta.s) {
        params.sessionIds = activity.sessions.filter((x) => x.id === meta.s || x.parentId === meta.s).map((x) => x.id);
        params.familyId = meta.s;
        if ((params.sessionIds as string[]).length === 0) params.sessionIds = [meta.s];
      }
      if ((meta.k === 'freeze' || meta.k === 'unfreeze' || meta.k === 'contain') && user.userLoginId) params.userLoginId = user.userLoginId;
      if (parsed.appNames) params.appNames = parsed.appNames;
      if (parsed.resetPassword !== undefined) params.resetPassword = parsed.resetPassword;
      const request = await requests.service.submit({
        kind: meta.k,
        target: { userId: user.id, username: user.username, name: user.name, email: user.email },
        params,
        reason: parsed.reason,
        requestedBy: requester,
        requiredApprovals: requiredApprovalsFor(meta.k),
        evidence: buildEvidence(user, assessment, activity.recentLogins, now),
        expiresAt: new Date(now.getTime() + requests.ttlMinutes * 60_000),
      });
      const permalink = request.channelId && request.messageTs ? `https://slack.com/archives/${request.channelId}/p${request.messageTs.replace('.', '')}` : null;
      const msg = requestConfirmation(request, permalink);
      if (meta.r) {
        await fetch(meta.r, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: msg.text, blocks: msg.blocks }) });
      } else if (request.channelId) {
        await client.chat.postEphemeral({ channel: request.channelId, user: requester, text: msg.text, blocks: msg.blocks });
      }
    } catch (err) {
      deps.logger.error({ err, kind: meta.k }, 'could not record a request');
      await tell(`:warning: ${deps.describeError(err)} Nothing was requested.`).catch(() => undefined);
    }
  };
}
