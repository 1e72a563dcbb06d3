/**
 * The domain model shared by rules, Block Kit builders, the Salesforce access layer and storage.
 * It is deliberately free of Slack and Salesforce wire shapes: the Salesforce layer maps REST
 * records into these types, and everything downstream works on them.
 */

export interface Place {
  city: string | null;
  subdivision: string | null;
  country: string | null;
  countryIso: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface SfUser {
  id: string;
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  /** null when the UserLogin row could not be read. */
  isFrozen: boolean | null;
  userLoginId: string | null;
  userType: string | null;
  profileName: string | null;
}

/** The login that created (or last reused) a session, from AuthSession.LoginHistory.*. */
export interface SessionLogin {
  loginTime: Date | null;
  browser: string | null;
  platform: string | null;
  application: string | null;
  loginType: string | null;
}

export interface Session {
  id: string;
  userId: string;
  /** The parent AuthSession id, or null when the session is its own root (ParentId = Id or empty). */
  parentId: string | null;
  sessionType: string;
  loginType: string | null;
  securityLevel: string | null;
  sourceIp: string | null;
  createdAt: Date;
  lastModifiedAt: Date;
  secondsValid: number;
  /** LastModifiedDate + NumSecondsValid. */
  expiresAt: Date;
  /** True when the session belongs to the caller's (the bot's) own session family. */
  isCurrent: boolean;
  login: SessionLogin | null;
  place: Place | null;
}

/** A root session and the sessions whose ParentId points at it (Aura, Visualforce, Content…). */
export interface SessionFamily {
  root: Session;
  children: Session[];
}

export interface LoginEvent {
  id: string;
  userId: string;
  loginTime: Date;
  /** Salesforce's Status text: "Success" or a failure reason. */
  status: string;
  success: boolean;
  sourceIp: string | null;
  loginType: string | null;
  application: string | null;
  browser: string | null;
  platform: string | null;
  place: Place | null;
}

/** A connected-app grant (OauthToken row). deleteToken is a credential: never log or display it. */
export interface OauthGrant {
  appName: string;
  useCount: number;
  lastUsedAt: Date | null;
  createdAt: Date | null;
  deleteToken: string;
}

export interface Policy {
  sessionTimeoutMinutes: number;
  tokenMaxAgeDays: number;
  /** Implied travel speed above which two places "at once" are suspicious. */
  maxTravelSpeedKmh: number;
  failedLoginThreshold: number;
  failedLoginWindowMinutes: number;
  /**
   * A person's session alive longer than this is kept alive past a working day. Salesforce's idle
   * timeout (sessionTimeoutMinutes) counts from the last activity, so a busy day in one session is normal.
   */
  workdayHours: number;
  /** A person's session alive this many whole days is what a stolen, replayed cookie looks like: high. */
  keptAliveDays: number;
  /** Distinct people failing from one address within failedLoginWindowMinutes that make it password spraying. */
  sprayMinUsers: number;
  /** Salesforce's lockout ("Maximum invalid login attempts"): this many failures in a row is never a typo. */
  lockoutAttempts: number;
}

export const DEFAULT_POLICY: Policy = {
  sessionTimeoutMinutes: 120,
  tokenMaxAgeDays: 30,
  maxTravelSpeedKmh: 900,
  failedLoginThreshold: 3,
  failedLoginWindowMinutes: 60,
  workdayHours: 16,
  keptAliveDays: 2,
  sprayMinUsers: 10,
  lockoutAttempts: 10,
};

export type Severity = 'high' | 'medium' | 'low';

/** Where and when one row of evidence happened (a session family's login, or a LoginHistory row). */
export interface FindingPlace {
  /** The session root id or LoginHistory id. */
  rowId: string;
  at: Date;
  /** "Moscow, RU", or null when nothing is known. */
  label: string | null;
  countryIso: string | null;
  ip: string | null;
  /** Where geo-IP put it, for the alert's map; null when unknown, absent on findings stored before maps existed. */
  coordinates?: { latitude: number; longitude: number } | null;
}

/** The numbers behind a finding's message, for renderers that word it differently. */
export type FindingEvidence =
  | {
      kind: 'travel';
      from: FindingPlace;
      to: FindingPlace;
      /** null when only the countries are known to differ. */
      km: number | null;
      /** null with km; Infinity when both happened at the same instant. */
      speedKmh: number | null;
      gapMs: number;
    }
  | {
      kind: 'session-age';
      createdAt: Date;
      ageMs: number;
      wholeDays: number;
      /** The timeout the session was judged against; null for integration sessions (judged by age only). */
      timeoutMinutes: number | null;
      maxAgeDays: number;
      /** The working day a person's session was judged against; absent for integration sessions and older findings. */
      workdayHours?: number;
      /** The family's last activity (LastModifiedDate), when known. */
      lastActivityAt?: Date;
    }
  | { kind: 'grant-age'; appName: string; createdAt: Date; wholeDays: number; maxAgeDays: number }
  | { kind: 'grant-new'; appName: string; createdAt: Date; lastUsedAt: Date | null; useCount: number }
  | {
      kind: 'failed-logins';
      failures: number;
      /** Failure reasons, most common first. */
      reasons: string[];
      /** From the first to the last failure of the run. */
      spanMs: number;
      windowMinutes: number;
      success: FindingPlace;
    }
  | { kind: 'new-country'; login: FindingPlace; countryIso: string; knownCountries: string[] }
  | {
      kind: 'spray';
      ip: string;
      /** Where geo-IP puts the address (from its first failure). */
      place: FindingPlace;
      /** Distinct people it failed against in the burst. */
      people: number;
      failures: number;
      spanMs: number;
      firstAt: Date;
      lastAt: Date;
      /** Users it tried who then signed in from it, first first. */
      victims: string[];
    };

/** Something a rule found, in words an admin can act on. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** The sessions (root ids) the finding is about; empty for user-level findings. */
  sessionIds: string[];
  /** The Salesforce user the finding is about. */
  userId: string;
  /** What the ids in `key` name: session family roots, LoginHistory rows or connected-app grants. */
  subject: 'sessions' | 'logins' | 'grants';
  /**
   * `${rule}:${userId}:${row ids, sorted and deduplicated, comma-joined}`. Names only rows, never a
   * figure that grows with time, so the same situation evaluated again gives the same key and a
   * new row joining gives a new one.
   */
  key: string;
  /** `${rule}:${userId}`: findings sharing it are one alert, edited in place as its keys change. */
  groupKey: string;
  evidence?: FindingEvidence;
  /**
   * One alert per incident: the other findings about the same person found at the same time (the
   * failed logins, the new country, the second live session), shown in this alert's message. Their
   * own keys are claimed too, so none is posted on its own later.
   */
  signals?: FindingSignal[];
}

/** A finding merged into another's alert. */
export interface FindingSignal {
  rule: string;
  severity: Severity;
  message: string;
  key: string;
  sessionIds: string[];
}

/** A session family after the rules have looked at it. */
export interface AssessedFamily {
  family: SessionFamily;
  findings: Finding[];
  /** Higher is riskier; families are listed in descending order of this. */
  risk: number;
  /** The bot's own integration session: shown, marked, never offered for removal. */
  isBotOwn: boolean;
}

/** Everything the rules concluded about one user's sessions (and, when given, logins). */
export interface SessionAssessment {
  families: AssessedFamily[];
  /** Findings about the user rather than one family (e.g. failed logins followed by a success). */
  userFindings: Finding[];
  totals: {
    sessions: number;
    families: number;
    countries: string[];
    oldestCreatedAt: Date | null;
  };
}

export interface LoginSummary {
  total: number;
  failures: number;
  countries: string[];
  distinctIps: number;
}

/** How a target user is named: by Salesforce Id, or by an exact Username / Email match. */
export type UserSelector = { byId: string } | { byEmailOrUsername: string };

/** What Salesforce told us about a user, in domain terms. */
export interface UserActivity {
  /** Every user the selector matched (more than one → the admin picks). */
  users: SfUser[];
  /** Sessions of all matched users. */
  sessions: Session[];
  /** Recent logins of all matched users (for the rules), newest first. */
  recentLogins: LoginEvent[];
  /** null when the grants are unknown (see grantsCaveat): never read as "no grants". */
  grants: OauthGrant[] | null;
  /** Why the grants are not known in full; null when they are. */
  grantsCaveat: GrantsCaveat | null;
}

/**
 * Why a user's OAuth grants are not known in full. `hidden`: Salesforce shows the bot only its own
 * grants (it lacks Customize Application, or could not tell whether it has it), so it says nothing
 * of anyone else's; `unreadable`: the query failed; `partial`: Salesforce returns no more than 2,500
 * grants, so more may exist than were listed.
 */
export interface GrantsCaveat {
  kind: 'hidden' | 'unreadable' | 'partial';
  /** One sentence for people: what is not known and why. */
  text: string;
}
