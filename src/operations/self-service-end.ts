import type { ActionRequest } from '../domain/requests';
import type { Finding, Session, SfUser } from '../domain/types';
import type { ExecutorPort, StepOutcome } from '../requests/ports';

/** Who ends, whose sessions, and which: what a colleague's "No, not me" asks of Salesforce. */
export interface SelfServiceEnd {
  /** The colleague's Slack user id: they end their own sessions, so no approval is needed. */
  by: string;
  user: Pick<SfUser, 'id' | 'username' | 'name' | 'email'>;
  finding: Pick<Finding, 'subject' | 'sessionIds'>;
  /** The user's sessions as the monitor's mirror knows them, to find the children of the named families. */
  knownSessions: readonly Session[];
  now: Date;
}

/**
 * Builds the one-step request the executor runs for a self-service end. It never enters the
 * requests table (there is nothing to approve); it only gives the executor — and so Salesforce's
 * ownership checks, the bot's own-session guard and the lost-answer read-back — what it needs.
 * Findings about sessions end those families; findings about a login (which Salesforce does not
 * link to its sessions) end all of the user's sessions, as the colleague said the login was not theirs.
 */
export function selfServiceRequest(input: SelfServiceEnd): ActionRequest {
  const { by, user, finding, now } = input;
  const fields = {
    id: 'self-service',
    state: 'executing' as const,
    target: { userId: user.id, username: user.username, name: user.name, email: user.email },
    reason: 'the user said the activity was not theirs',
    requestedBy: by,
    requiredApprovals: 0,
    approvals: [],
    decidedBy: by,
    channelId: null,
    messageTs: null,
    evidence: null,
    result: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: now,
    verifyDueAt: null,
    verifiedAt: null,
    version: 1,
  };
  if (finding.subject === 'sessions' && finding.sessionIds.length > 0) {
    const roots = new Set(finding.sessionIds);
    const children = input.knownSessions.filter((s) => s.parentId !== null && roots.has(s.parentId)).map((s) => s.id);
    return { ...fields, kind: 'remove_session', params: { familyIds: [...roots], sessionIds: [...new Set([...roots, ...children])] } };
  }
  return { ...fields, kind: 'remove_all', params: {} };
}

/** Runs it through the executor; the outcomes are the executor's, never thrown for a Salesforce refusal. */
export async function endOwnSessions(executor: ExecutorPort, input: SelfServiceEnd): Promise<StepOutcome[]> {
  return executor.run(selfServiceRequest(input), async () => {});
}
