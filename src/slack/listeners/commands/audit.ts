import type { SlackDeps } from '../../deps';
import { auditTrailMessage, auditVerifyMessage, errorMessage } from '../../views';
import type { CommandHandler } from './sessions';
import { matchMessage, reply, selectorFor } from '../shared';

/** `/sessions audit <user | request id>` and `/sessions audit verify`. */
export function auditCommand(deps: SlackDeps): CommandHandler {
  return async (parsed, { respond, client }) => {
    if (parsed.kind === 'verify-audit') {
      await reply(respond, auditVerifyMessage(await deps.ops.verifyAudit()));
      return true;
    }
    if (parsed.kind !== 'audit') return false;
    const now = deps.now();
    if ('requestId' in parsed.target) {
      const { requestId } = parsed.target;
      await reply(respond, auditTrailMessage({ title: `Audit trail of request ${requestId}`, entries: await deps.ops.requestTrail(requestId), now }));
      return true;
    }
    const selector = await selectorFor(client, parsed.target.user);
    if ('problem' in selector) {
      await reply(respond, errorMessage(selector.problem));
      return true;
    }
    const match = await deps.ops.userTrail(selector);
    await reply(
      respond,
      matchMessage(match, ({ user, entries }) => auditTrailMessage({ title: `Audit trail for ${user.name} (${user.username})`, entries, now })),
    );
    return true;
  };
}
