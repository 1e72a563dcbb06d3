import type { ActionRequest } from '../../src/domain/requests';
import { endsCompromisedSessions, grantsFromRequest, windowFromRequest, windowOf } from '../../src/operations/investigate';
import { makeFamily, makeSession, NOW } from '../support/view-factories';

const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function evidence(over: Record<string, unknown> = {}) {
  return {
    capturedAt: NOW.toISOString(),
    user: { id: '005000000000001AAA', username: 'ada@acme.com', name: 'Ada', isActive: true, isFrozen: false, profile: null },
    sessions: 2,
    families: 2,
    countries: [],
    findings: [],
    concerned: [],
    snapshot: [
      { id: '0Ak000000000001AAA', type: 'UI', ip: '198.51.100.23', place: null, createdAt: minutesAgo(30).toISOString(), children: 0 },
      { id: '0Ak000000000002AAA', type: 'UI', ip: '203.0.113.10', place: null, createdAt: minutesAgo(90).toISOString(), children: 0 },
    ],
    logins: [],
    ...over,
  };
}

const request = (kind: ActionRequest['kind'], state: ActionRequest['state'], ev: unknown): Pick<ActionRequest, 'kind' | 'state' | 'evidence'> => ({
  kind,
  state,
  evidence: ev,
});

describe('windowOf', () => {
  it('runs from the earliest login of the families to now, with every address of their sessions', () => {
    const a = makeFamily(1, {
      family: {
        root: makeSession(1, { createdAt: minutesAgo(20), sourceIp: '198.51.100.23', login: null }),
        children: [makeSession(3, { sourceIp: '198.51.100.24' })],
      },
    });
    const b = makeFamily(2, { family: { root: makeSession(2, { createdAt: minutesAgo(50), sourceIp: '198.51.100.23', login: null }), children: [] } });
    const w = windowOf([a, b], NOW);
    expect(w).toEqual({ from: minutesAgo(50), to: NOW, sessionIds: [a.family.root.id, b.family.root.id], sourceIps: ['198.51.100.23', '198.51.100.24'] });
    expect(windowOf([], NOW)).toBeNull();
  });
});

describe('windowFromRequest', () => {
  it('uses the families the request ends when it names them, else every family listed then', () => {
    const ends = evidence({
      concerned: [
        {
          id: '0Ak000000000001AAA',
          sessionType: 'UI',
          loginType: null,
          ip: '198.51.100.23',
          place: null,
          loginAt: minutesAgo(31).toISOString(),
          createdAt: minutesAgo(30).toISOString(),
          children: 0,
          findings: [],
        },
      ],
    });
    expect(windowFromRequest({ evidence: ends }, NOW)).toEqual({
      from: minutesAgo(31),
      to: NOW,
      sessionIds: ['0Ak000000000001AAA'],
      sourceIps: ['198.51.100.23'],
    });
    expect(windowFromRequest({ evidence: evidence() }, NOW)).toMatchObject({ from: minutesAgo(90), sessionIds: ['0Ak000000000001AAA', '0Ak000000000002AAA'] });
  });

  it('is null for evidence it cannot read (an old or hand-written row), or without any session', () => {
    expect(windowFromRequest({ evidence: null }, NOW)).toBeNull();
    expect(windowFromRequest({ evidence: { snapshot: 'x' } }, NOW)).toBeNull();
    expect(windowFromRequest({ evidence: evidence({ snapshot: [] }) }, NOW)).toBeNull();
  });
});

describe('endsCompromisedSessions', () => {
  const flagged = evidence({ findings: ['another session from Moscow'] });
  it.each([
    ['contain', 'done', evidence(), true],
    ['contain', 'failed', evidence(), true],
    ['contain', 'executing', evidence(), false],
    ['remove_all', 'done', flagged, true],
    ['remove_session', 'done', flagged, true],
    ['remove_all', 'done', evidence(), false],
    ['freeze', 'done', flagged, false],
    ['revoke_tokens', 'done', flagged, false],
  ] as const)('%s %s → %s', (kind, state, ev, expected) => {
    expect(endsCompromisedSessions(request(kind, state, ev))).toBe(expected);
  });
});

describe('grantsFromRequest', () => {
  it('reads the grants recorded with the request, and null when none were recorded', () => {
    const ev = evidence({
      grants: [
        { appName: 'Exfil Sync', createdAt: minutesAgo(15).toISOString() },
        { appName: 'Old', createdAt: null },
      ],
    });
    expect(grantsFromRequest({ evidence: ev })).toEqual([
      { appName: 'Exfil Sync', createdAt: minutesAgo(15) },
      { appName: 'Old', createdAt: null },
    ]);
    expect(grantsFromRequest({ evidence: evidence() })).toBeNull();
  });
});
