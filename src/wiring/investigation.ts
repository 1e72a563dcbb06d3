import type { OauthGrant } from '../domain/types';
import { investigateRequest, investigateSessions, type GrantSource, type InvestigateDeps } from '../operations/investigate';
import type { LookupDeps } from '../operations/lookup';
import { SalesforceError } from '../salesforce/errors';
import { InvestigationReader } from '../salesforce/investigation-reader';
import type { SalesforceRest } from '../salesforce/rest';
import type { UserActivityReader } from '../salesforce/user-activity';
import type { RequestsStore } from '../store';
import type { SlackDeps } from '../slack/deps';

export interface InvestigationWiring {
  slack: SlackDeps['investigate'];
  deps: InvestigateDeps;
  grants: GrantSource;
}

/** "What did this session do?" and the ways back in, over the Salesforce readers and the requests store. */
export function buildInvestigation(
  lookup: LookupDeps,
  parts: { rest: SalesforceRest; activity: UserActivityReader; requests: RequestsStore },
): InvestigationWiring {
  const deps: InvestigateDeps = { ...lookup, investigation: new InvestigationReader(parts.rest) };
  const grants: GrantSource = {
    async grantsNow(userId: string): Promise<OauthGrant[] | null> {
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
