import type { Session, SessionFamily } from './types';

function byCreatedAt(a: Session, b: Session): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Groups sessions under their root. A child whose parent is no longer listed (the parent ended
 * first) becomes a root itself, so no live session is ever hidden. Parent chains longer than one
 * step are followed to the topmost listed ancestor; a parent cycle (should not happen) is broken
 * at its smallest id, so every session still lands in exactly one family.
 */
export function groupFamilies(sessions: readonly Session[]): SessionFamily[] {
  const byId = new Map<string, Session>();
  for (const session of sessions) byId.set(session.id, session);

  const rootIdOf = new Map<string, string>();
  const isRoot = (session: Session): boolean => session.parentId === null || session.parentId === session.id || !byId.has(session.parentId);
  const resolveRoot = (session: Session): string => {
    if (isRoot(session)) return session.id;
    const known = rootIdOf.get(session.id);
    if (known !== undefined) return known;
    // Longer chains are rare; walk them once and remember the answer.
    const path: Session[] = [session];
    let current = session;
    let rootId = session.id;
    for (;;) {
      if (isRoot(current)) {
        rootId = current.id;
        break;
      }
      const parent = byId.get(current.parentId ?? '');
      if (!parent) break;
      const cycleStart = path.indexOf(parent);
      if (cycleStart >= 0) {
        // Every member of the cycle must agree on one root, wherever the walk entered it.
        rootId = path.slice(cycleStart).reduce((min, s) => (s.id < min ? s.id : min), parent.id);
        break;
      }
      path.push(parent);
      current = parent;
    }
    rootIdOf.set(session.id, rootId);
    return rootId;
  };

  const families = new Map<string, SessionFamily>();
  for (const session of byId.values()) {
    const rootId = resolveRoot(session);
    const root = byId.get(rootId) ?? session;
    let family = families.get(rootId);
    if (!family) {
      family = { root, children: [] };
      families.set(rootId, family);
    }
    if (session.id !== rootId) family.children.push(session);
  }

  const result = [...families.values()];
  for (const family of result) family.children.sort(byCreatedAt);
  return result.sort((a, b) => byCreatedAt(a.root, b.root));
}

/** Every session of the family, root first. */
export function familySessions(family: SessionFamily): Session[] {
  return [family.root, ...family.children];
}

/** The latest LastModifiedDate in the family: when any of its sessions was last used. */
export function familyLastActivity(family: SessionFamily): Date {
  let latest = family.root.lastModifiedAt;
  for (const child of family.children) if (child.lastModifiedAt > latest) latest = child.lastModifiedAt;
  return latest;
}

/** The latest expiry in the family: the family is alive while any member is. */
export function familyExpiresAt(family: SessionFamily): Date {
  let latest = family.root.expiresAt;
  for (const child of family.children) if (child.expiresAt > latest) latest = child.expiresAt;
  return latest;
}

/**
 * A session of the bot itself: its integration user's, or the one its own API calls run in
 * (IsCurrent). Shown and marked, never flagged, never ended.
 */
export function isBotOwnSession(session: Session, botUserId: string | null): boolean {
  return session.isCurrent || (botUserId !== null && botUserId !== '' && session.userId === botUserId);
}

/** The bot's own session family: its root or any session in it is the bot's. */
export function isBotOwnFamily(family: SessionFamily, botUserId: string | null): boolean {
  return familySessions(family).some((s) => isBotOwnSession(s, botUserId));
}

/** Salesforce may put a session's place on the root only, or only on a child: take the first known. */
export function familyPlaceSession(family: SessionFamily): Session {
  if (family.root.place) return family.root;
  return family.children.find((child) => child.place !== null) ?? family.root;
}

/**
 * When the family's login happened. LoginHistory (and the LoginGeo place) is moved to the latest
 * login when a session is reused, so the login time is the moment that matches the place;
 * CreatedDate is the fallback.
 */
export function familyLoginTime(family: SessionFamily): Date {
  return familyPlaceSession(family).login?.loginTime ?? family.root.createdAt;
}
