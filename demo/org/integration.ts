import { addIntegrationSession, addOauthToken, addUser, PROFILE_INTEGRATION, type Rng } from '../../test/standins/salesforce/generator';
import type { Org } from '../../test/standins/salesforce/org';
import { place, type GeoPlace } from '../../test/standins/salesforce/places';
import { DATA_CENTRE_IPS } from './addresses';
import { before, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, daysBefore, minutesBefore } from './time';

/**
 * The API-only user Acme's data pipelines run as: hundreds of OAuth sessions from one cloud region
 * (two egress addresses, both geolocated to Dublin, so no travel rule has anything to say), one of
 * them connected six weeks ago and never rotated, and a grant older than a year.
 */
export interface IntegrationUser {
  userId: string;
  userLoginId: string;
  username: string;
  name: string;
  /** AuthSession rows when the org was built. */
  sessionCount: number;
  /** The sessions older than the 30-day rotation policy (the ones the bot should flag). */
  staleSessionIds: string[];
  region: GeoPlace;
  ips: readonly string[];
}

export const INTEGRATION_USERNAME = 'integration@acme.com';
export const INTEGRATION_SESSION_COUNT = 300;
/** Older than TOKEN_MAX_AGE_DAYS (30 by default): the one integration session the bot flags. */
export const STALE_SESSION_DAYS = 41;

const APPS = ['Acme Data Sync', 'Acme Data Sync', 'Acme Data Sync', 'Data Loader', 'MuleSoft Composer'] as const;
const SUBTYPES = ['OauthClientCredentials', 'OauthClientCredentials', 'OauthRefreshToken'] as const;
/** Share of the fleet connected days ago rather than within the last two hours. */
const DAYS_OLD_SHARE = 0.15;

export function addIntegrationUser(org: Org, r: Rng, now: Date): IntegrationUser {
  const region = place('Dublin');
  const { userId, userLoginId } = addUser(org, {
    username: INTEGRATION_USERNAME,
    name: 'Acme Integration',
    profile: PROFILE_INTEGRATION,
    timeZone: 'Europe/Dublin',
  });
  const user = { userId, region };
  const stale = addIntegrationSession(org, {
    userId,
    createdAt: daysBefore(now, STALE_SESSION_DAYS),
    lastActivityAt: minutesBefore(now, 1),
    sourceIp: DATA_CENTRE_IPS[0],
    place: region,
    appName: 'Acme Data Sync',
    isAssociatedWithJwtAccessToken: true,
  });
  for (let i = 1; i < INTEGRATION_SESSION_COUNT; i++) {
    const ageMs = r.chance(DAYS_OLD_SHARE) ? r.between(1, 6) * DAY_MS + r.int(DAY_MS) : r.between(1, 115) * MINUTE_MS;
    const createdAt = before(now, ageMs);
    // Busy pipelines: every session was used within the last 90 minutes, so all are alive.
    const lastActivityAt = new Date(Math.max(createdAt.getTime(), now.getTime() - r.int(90) * MINUTE_MS));
    addPipelineSession(org, r, user, createdAt, lastActivityAt);
  }
  addOauthToken(org, { userId, appName: 'Acme Data Sync', createdAt: daysBefore(now, 400), lastUsedAt: minutesBefore(now, 1), useCount: 48_211, rng: r });
  addOauthToken(org, { userId, appName: 'Data Loader', createdAt: daysBefore(now, 5), lastUsedAt: before(now, 3 * HOUR_MS), useCount: 9, rng: r });
  return {
    userId,
    userLoginId,
    username: INTEGRATION_USERNAME,
    name: 'Acme Integration',
    sessionCount: INTEGRATION_SESSION_COUNT,
    staleSessionIds: [stale.sessionId],
    region,
    ips: DATA_CENTRE_IPS,
  };
}

export interface PipelineSession {
  sessionId: string;
  appName: string;
  sourceIp: string;
}

/** One pipeline's OAuth session from the region, with its LoginHistory and LoginGeo. */
function addPipelineSession(org: Org, r: Rng, user: Pick<IntegrationUser, 'userId' | 'region'>, createdAt: Date, lastActivityAt: Date): PipelineSession {
  const appName = r.pick(APPS);
  const sourceIp = r.pick(DATA_CENTRE_IPS);
  const { sessionId } = addIntegrationSession(org, {
    userId: user.userId,
    createdAt,
    lastActivityAt,
    sourceIp,
    place: user.region,
    appName,
    loginSubType: r.pick(SUBTYPES),
    isAssociatedWithJwtAccessToken: appName === 'Acme Data Sync',
  });
  return { sessionId, appName, sourceIp };
}

/** A pipeline connects now (a few seconds before `now`, never after). */
export function connectNow(org: Org, r: Rng, user: Pick<IntegrationUser, 'userId' | 'region'>, now: Date): PipelineSession {
  return addPipelineSession(org, r, user, before(now, r.between(1, 20) * SECOND_MS), now);
}
