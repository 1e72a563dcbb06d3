import { familyExpiresAt, familyLastActivity, familySessions, groupFamilies } from '../../src/domain/families';
import { HOUR, MINUTE, ago, childOf, session } from '../support/rule-factories';

describe('groupFamilies', () => {
  it('returns nothing for no sessions', () => {
    expect(groupFamilies([])).toEqual([]);
  });

  it('puts children under their root, sorted by createdAt', () => {
    const root = session({ createdAt: ago(3 * HOUR) });
    const late = childOf(root, { createdAt: ago(HOUR) });
    const early = childOf(root, { createdAt: ago(2 * HOUR) });
    const other = session({ createdAt: ago(30 * MINUTE) });
    const families = groupFamilies([late, other, root, early]);
    expect(families).toHaveLength(2);
    expect(families[0]?.root.id).toBe(root.id);
    expect(families[0]?.children.map((s) => s.id)).toEqual([early.id, late.id]);
    expect(families[1]?.root.id).toBe(other.id);
    expect(families[1]?.children).toEqual([]);
  });

  it('makes an orphan (parent already ended) its own root instead of dropping it', () => {
    const orphan = session({ parentId: '0AkGONE0000000001' });
    const families = groupFamilies([orphan]);
    expect(families).toHaveLength(1);
    expect(families[0]?.root.id).toBe(orphan.id);
  });

  it('treats ParentId equal to its own Id as a root', () => {
    const self = session();
    const selfParented = { ...self, parentId: self.id };
    expect(groupFamilies([selfParented])[0]?.root.id).toBe(self.id);
  });

  it('follows grandchildren to the topmost listed ancestor, and survives cycles', () => {
    const root = session();
    const child = childOf(root);
    const grandchild = childOf(child);
    const families = groupFamilies([grandchild, child, root]);
    expect(families).toHaveLength(1);
    expect(families[0]?.children.map((s) => s.id).sort()).toEqual([child.id, grandchild.id].sort());

    const a = session();
    const b = session({ parentId: a.id });
    const cyclic = [{ ...a, parentId: b.id }, b];
    const cyclicFamilies = groupFamilies(cyclic);
    expect(cyclicFamilies.reduce((n, f) => n + 1 + f.children.length, 0)).toBe(2);
  });

  it('never loses or duplicates a session', () => {
    const roots = Array.from({ length: 20 }, (_, i) => session({ createdAt: ago(i * MINUTE) }));
    const children = roots.flatMap((r, i) => Array.from({ length: i % 4 }, () => childOf(r)));
    const orphans = [session({ parentId: 'missing-1' }), session({ parentId: 'missing-2' })];
    const all = [...children, ...orphans, ...roots];
    const families = groupFamilies(all);
    const ids = families.flatMap(familySessions).map((s) => s.id);
    expect(ids).toHaveLength(all.length);
    expect(new Set(ids).size).toBe(all.length);
    expect(families).toHaveLength(22);
  });
});

describe('family helpers', () => {
  it('finds the latest activity and expiry among all members', () => {
    const root = session({ lastModifiedAt: ago(2 * HOUR), secondsValid: 3600 });
    const child = childOf(root, { lastModifiedAt: ago(MINUTE), secondsValid: 3600 });
    const fam = groupFamilies([root, child])[0];
    expect(fam).toBeDefined();
    if (!fam) return;
    expect(familyLastActivity(fam)).toEqual(child.lastModifiedAt);
    expect(familyExpiresAt(fam)).toEqual(child.expiresAt);
  });
});
