import type { RequestDeps, SlackDeps } from '../../deps';
import { auditTrailMessage, auditVerifyMessage, errorMessage, notFoundMessage } from '../../views';
import type { CommandHandler } from './sessions';
import { reply, selectorFor } from '../shared';

const summarize = (detail: unknown): string => {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  const said = ['summary', 'reason', 'kind'].map((k) => d[k]).find((v): v is string => typeof v === 'string') ?? '';
  return typeof d.step === 'string' ? `${d.step}${said ? `: ${said}` : ''}` : said;
};

/** `/sessions audit <user | request id>` and `/sessions audit verify`. */
export function auditCommand(deps: SlackDeps, requests: RequestDeps): CommandHandler {
  return async (parsed, { respond, client }) => {
    if (parsed.kind === 'verify-audit') {
      await reply(respond, auditVerifyMessage(await requests.audit.verifyChain()));
      return true;
    }
    if (parsed.kind !== 'audit') return false;
    let title: string;
    let entries;
    if ('requestId' in parsed.target) {
      title = `Audit trail of request ${parsed.target.requestId}`;
      entries = await requests.audit.listForRequest(parsed.target.requestId);
    } else {
      const selector = await selectorFor(client, parsed.target.user);
      if ('problem' in selector) {
        await reply(respond, errorMessage(selector.problem));
        return true;
      }
      const [user] = await deps.activity.findUsers(selector);
      if (!user) {
        await reply(respond, notFoundMessage('byId' in selector ? selector.byId : selector.byEmailOrUsername));
        return true;
      }
      title = `Audit trail for ${user.name} (${user.username})`;
      entries = await requests.audit.listForTarget(user.id, 40);
    }
    await reply(
      respond,
      auditTrailMessage({
        title,
        entries: entries.map((e) => ({ seq: e.seq, at: e.at, requestId: e.requestId, actor: e.actor, event: e.event, detail: summarize(e.detail) })),
        now: deps.now(),
      }),
    );
    return true;
  };
}
