import type { LoginEvent, OauthGrant, Place, Session, SessionFamily } from '../../src/domain/types';

/** Fixed "now" so every test reads the same clock. */
export const NOW = new Date('2026-07-01T12:00:00.000Z');

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function ago(ms: number, now: Date = NOW): Date {
  return new Date(now.getTime() - ms);
}

export const PLACES = {
  sanFrancisco: place({
    city: 'San Francisco',
    subdivision: 'California',
    country: 'United States',
    countryIso: 'US',
    latitude: 37.7749,
    longitude: -122.4194,
  }),
  oakland: place({ city: 'Oakland', subdivision: 'California', country: 'United States', countryIso: 'US', latitude: 37.8044, longitude: -122.2712 }),
  moscow: place({ city: 'Moscow', subdivision: 'Moscow', country: 'Russia', countryIso: 'RU', latitude: 55.7558, longitude: 37.6173 }),
  london: place({ city: 'London', subdivision: 'England', country: 'United Kingdom', countryIso: 'GB', latitude: 51.5074, longitude: -0.1278 }),
  paris: place({ city: 'Paris', subdivision: 'Île-de-France', country: 'France', countryIso: 'FR', latitude: 48.8566, longitude: 2.3522 }),
  // Distances the travel cases rely on (haversine): San Francisco–Los Angeles 559 km, –Portland 861 km,
  // –Tijuana 762 km, –New York 4,129 km; Paris–Milan 640 km, Paris–Berlin 877 km.
  losAngeles: place({ city: 'Los Angeles', subdivision: 'California', country: 'United States', countryIso: 'US', latitude: 34.0522, longitude: -118.2437 }),
  portland: place({ city: 'Portland', subdivision: 'Oregon', country: 'United States', countryIso: 'US', latitude: 45.5152, longitude: -122.6784 }),
  newYork: place({ city: 'New York', subdivision: 'New York', country: 'United States', countryIso: 'US', latitude: 40.7128, longitude: -74.006 }),
  tijuana: place({ city: 'Tijuana', subdivision: 'Baja California', country: 'Mexico', countryIso: 'MX', latitude: 32.5149, longitude: -117.0382 }),
  milan: place({ city: 'Milan', subdivision: 'Lombardy', country: 'Italy', countryIso: 'IT', latitude: 45.4642, longitude: 9.19 }),
  berlin: place({ city: 'Berlin', subdivision: 'Berlin', country: 'Germany', countryIso: 'DE', latitude: 52.52, longitude: 13.405 }),
  russiaNoCoords: place({ city: null, subdivision: null, country: 'Russia', countryIso: 'RU', latitude: null, longitude: null }),
  usNoCoords: place({ city: null, subdivision: null, country: 'United States', countryIso: 'US', latitude: null, longitude: null }),
};

export function place(overrides: Partial<Place> = {}): Place {
  return { city: null, subdivision: null, country: null, countryIso: null, latitude: null, longitude: null, ...overrides };
}

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${String(counter).padStart(15, '0')}`;
}

/**
 * A live UI root session created an hour before NOW, last used a minute ago, valid for 2 h.
 * `expiresAt` is derived from lastModifiedAt + secondsValid unless given explicitly.
 */
export function session(overrides: Partial<Session> = {}): Session {
  const createdAt = overrides.createdAt ?? ago(HOUR);
  const lastModifiedAt = overrides.lastModifiedAt ?? ago(MINUTE);
  const secondsValid = overrides.secondsValid ?? 7200;
  return {
    id: nextId('0Ak'),
    userId: '005000000000001AAA',
    parentId: null,
    sessionType: 'UI',
    loginType: 'Application',
    securityLevel: 'STANDARD',
    sourceIp: '203.0.113.7',
    secondsValid,
    isCurrent: false,
    login: null,
    place: PLACES.sanFrancisco,
    ...overrides,
    createdAt,
    lastModifiedAt,
    expiresAt: overrides.expiresAt ?? new Date(lastModifiedAt.getTime() + secondsValid * 1000),
  };
}

export function childOf(parent: Session, overrides: Partial<Session> = {}): Session {
  return session({
    userId: parent.userId,
    sessionType: 'Aura',
    place: parent.place,
    sourceIp: parent.sourceIp,
    createdAt: new Date(parent.createdAt.getTime() + MINUTE),
    ...overrides,
    parentId: overrides.parentId ?? parent.id,
  });
}

export function family(root: Session, children: Session[] = []): SessionFamily {
  return { root, children };
}

export function login(overrides: Partial<LoginEvent> = {}): LoginEvent {
  const status = overrides.status ?? 'Success';
  return {
    id: nextId('0Ya'),
    userId: '005000000000001AAA',
    loginTime: ago(HOUR),
    success: status === 'Success',
    sourceIp: '203.0.113.7',
    loginType: 'Application',
    application: 'Browser',
    browser: 'Chrome 126',
    platform: 'Mac OSX',
    place: PLACES.sanFrancisco,
    ...overrides,
    status,
  };
}

export function grant(overrides: Partial<OauthGrant> = {}): OauthGrant {
  return {
    appName: 'Data Loader',
    useCount: 10,
    lastUsedAt: ago(DAY),
    createdAt: ago(10 * DAY),
    deleteToken: 'not-a-real-token',
    ...overrides,
  };
}
