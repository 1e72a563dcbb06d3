/**
 * What an action would do, as the request form and the request message show it: read from
 * Salesforce by the operations, rendered by the Slack views.
 */

export interface AppUse {
  appName: string;
  /** null when Salesforce did not say how often the grant was used. */
  useCount: number | null;
  lastUsedAt: Date | null;
}

/** A session family the action would end. */
export interface ConcernedFamily {
  /** The family root's AuthSession id. */
  id: string;
  sessionType: string;
  loginType: string | null;
  ip: string | null;
  /** "Moscow, RU", or null when Salesforce knows no place. */
  place: string | null;
  loginAt: Date;
  createdAt: Date;
  /** Sessions of the family besides the root (Aura, Visualforce…); they end with it. */
  children: number;
  /** What the rules said about this family, in words. */
  findings: string[];
}

export interface BlastRadius {
  sessionsToEnd: number;
  families: number;
  integrationSessions: number;
  sessionTypes: string[];
  connectedApps: AppUse[];
  isIntegrationUser: boolean;
  isBotTarget: boolean;
  warnings: string[];
  /** Shown next to the integration-user warning when known. */
  profileName?: string | null;
  /** The session families the action ends, riskiest first; empty for kinds that end none. */
  concerned: ConcernedFamily[];
}
