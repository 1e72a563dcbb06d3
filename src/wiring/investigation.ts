import type { ActionRequest } from '../domain/requests';
import type { OauthGrant } from '../domain/types';
import type { Logger } from '../logger';
import {
  endsCompromisedSessions,
  grantsFromRequest,
  investigateRequest,
  investigateSessions,
  waysBackInAfter,
  windowFromRequest,
  type GrantSource,
  type InvestigateDeps,
} from '../operations/investigate';
import type { LookupDeps } from '../operations/lookup';
import { SalesforceError } from '../salesforce/errors';
import { InvestigationReader } from '../salesforce/investigation-reader';
import type { IntegrationPermissions } from '../salesforce/permissions';
import type { SalesforceRest } from '../salesforce/rest';
import type { UserActivityReader } from '../salesforce/user-activity';
import type { AuditStore, RequestsStore } from '../store';
import type { SlackDeps } from '../slack/deps';
import type { OutboxRequestNotifier } from '../slack/notifier';
import { waysBackInMessage } from '../slack/views/investigation';

export interface InvestigationWiring {
  slack: SlackDeps['investigate'];
  deps: InvestigateDeps;
  grants: GrantSource;
}

/** "What did this session do?" and the ways back in, over the Salesforce readers and the requests store. */
export function buildInvestigation(
  lookup: LookupDeps,
  parts: { rest: SalesforceRest; activity: UserActivityReader; requests: RequestsStore; permissions: Pick<IntegrationPermissions, 'state' | 'grantsHidden'> },
): InvestigationWiring {
  // Without Manage Users (or while the permissions are unknown) Salesforce shows only the bot's own logins: unknown, not "none".
  const loginHistoryHidden = (): string | null => {
    const s = parts.permissions.state();
    if (s.state === 'unknown') return `Login History of other users is unknown: ${s.reason}.`;
    return s.held.manageUsers
      ? null
      : 'Login History is hidden from the bot: without Manage Users Salesforce shows it only its own logins (no error, just fewer rows).';
  };
  const deps: InvestigateDeps = { ...lookup, investigation: new InvestigationReader(parts.rest, loginHistoryHidden) };
  const grants: GrantSource = {
    async grantsNow(userId: string): Promise<OauthGrant[] | null> {
      // Without Customize Application OauthToken answers with the bot's own grants only: unknown, never "none left".
      if (parts.permissions.grantsHidden() !== null) return null;
      try {
        return await parts.activity.grants(userId, false);
      } catch (err) {
        // Hidden from the bot (no Customize Application): unknown, never "none".
        if (err instanceof SalesforceError && (err.errorCode === 'INVALID_TYPE' || err.errorCode.startsWith('INSUFFICIENT_ACCESS'))) return null;
        throw err;
      }
    },
  };
  return {
    deps,
    grants,
    slack: {
      sessions: (target, options) => investigateSessions(deps, target, options),
      request: async (requestId) => {
        const request = await parts.requests.get(requestId);
        return request ? investigateRequest(deps, request) : null;
      },
    },
  };
}

export interface WaysBackInHookParts {
  investigation: InvestigationWiring;
  audit: Pick<AuditStore, 'append'>;
  notifier: Pick<OutboxRequestNotifier, 'threadNote'>;
  logger: Logger;
  now: () => Date;
}

/**
 * When a Contain (or a removal of sessions the rules flagged) finishes: the ways back in go into
 * the audit chain (so the evidence pack carries them) and into the request's thread. Best effort:
 * a failure is logged and said in the thread, and never changes the request.
 */
export function waysBackInHook(parts: WaysBackInHookParts): (request: ActionRequest) => Promise<void> {
  return async (request) => {
    if (!endsCompromisedSessions(request)) return;
    const window = windowFromRequest(request, parts.now());
    if (!window) return;
    const user = { id: request.target.userId, username: request.target.username, name: request.target.name };
    try {
      const report = await waysBackInAfter(
        { investigation: parts.investigation.deps.investigation, grants: parts.investigation.grants, now: parts.now },
        { user, window, grantsBefore: grantsFromRequest(request) },
      );
      await parts.audit.append(
        {
          requestId: request.id,
          targetUserId: user.id,
          actor: 'system',
          event: 'ways-back-in',
          detail: {
            window: {
              from: report.window.from.toISOString(),
              to: report.window.to.toISOString(),
              sessionIds: report.window.sessionIds,
              sourceIps: report.window.sourceIps,
            },
            items: report.items.map((w) => ({ ...w, at: w.at?.toISOString() ?? null })),
            unknown: report.unknown,
            // What the sessions did, for the evidence pack: every Setup change in the window and the MFA prompts.
            setupChanges:
              report.changes.kind === 'read'
                ? report.changes.rows.map((c) => ({
                    at: c.at.toISOString(),
                    action: c.action,
                    section: c.section,
                    display: c.display,
                    delegateUser: c.delegateUser,
                  }))
                : { unknown: report.changes.detail },
            verifications:
              report.verifications.kind === 'read'
                ? report.verifications.rows.map((v) => ({
                    at: v.at.toISOString(),
                    activity: v.activity,
                    method: v.method,
                    status: v.status,
                    sourceIp: v.sourceIp,
                  }))
                : { unknown: report.verifications.detail },
            calls: report.calls,
          },
        },
        parts.now(),
      );
      await parts.notifier.threadNote(
        request,
        waysBackInMessage({ user, items: report.items, unknown: report.unknown, calls: report.calls, canRequest: true }),
      );
    } catch (err) {
      parts.logger.warn({ err, request: request.id }, 'could not list the ways back in');
      await parts.notifier.threadNote(request, {
        text: 'Ways back in: unknown',
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: ':grey_question: *Ways back in: unknown.* The bot could not read Setup Audit Trail and the OAuth grants; review them in Setup before closing the incident.',
            },
          },
        ],
      });
    }
  };
}
