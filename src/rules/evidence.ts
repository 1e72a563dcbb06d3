import { coordinatesOf, countryCode, placeLabel } from '../domain/geo';
import type { FindingPlace, LoginEvent, SessionFamily } from '../domain/types';
import { familyLoginTime, familyPlaceSession } from '../domain/families';

/** A LoginHistory row as evidence. */
export function loginPlace(event: LoginEvent): FindingPlace {
  return {
    rowId: event.id,
    at: event.loginTime,
    label: placeLabel(event.place),
    countryIso: countryCode(event.place),
    ip: event.sourceIp?.trim() || null,
    coordinates: coordinatesOf(event.place),
  };
}

/** A session family's login as evidence: its place, and the moment that place was recorded. */
export function familyPlace(family: SessionFamily): FindingPlace {
  const located = familyPlaceSession(family);
  return {
    rowId: family.root.id,
    at: familyLoginTime(family),
    label: placeLabel(located.place),
    countryIso: countryCode(located.place),
    ip: (located.sourceIp ?? family.root.sourceIp)?.trim() || null,
    coordinates: coordinatesOf(located.place),
  };
}
