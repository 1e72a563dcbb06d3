import type { Session, SessionFamily } from './types';

function byCreatedAt(a: Session, b: Session): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Groups sessions under their root. A child whose parent is no longer listed (the parent ended
 * first) becomes a root itself, so no live session is ever hidden. Parent chains longer than one
 * step are followed to the topmost listed ancestor; a cycle (should not happen) is broken by
 * treating the session as a root.
 */
export function groupFamilies(sessions: readonly Session[]): SessionFamily[] {
  const byId = new Map<string, Session>();
  for (const session of sessions) byId.set(session.id, session);

  const rootIdOf = new Map<string, string>();
  const resolveRoot = (session: Session): string => {
    const known = rootIdOf.get(session.id);
    if (known !== undefined) return known;
    const seen = new Set<string>([session.id]);
    let current = session;
    while (current.parentId !== null && current.parentId !== current.id) {
      const parent = byId.get(current.parentId);
      if (!parent || seen.has(parent.id)) break;
      const parentRoot = rootIdOf.get(parent.id);
      if (parentRoot !== undefined) {
        rootIdOf.set(session.id, parentRoot);
        return parentRoot;
      }
      seen.add(parent.id);
      current = parent;
    }
    rootIdOf.set(session.id, current.id);
    return current.id;
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
