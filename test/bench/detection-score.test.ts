/**
 * bench:detection's counting (issue 17.2), over hand-made alert sets: what the channel was asked
 * to look at, who it named, who was asked, which planted attacks count as found, and the targets.
 */
import { ATTACK_RULES } from '../../bench/detection/attack-rules';
import { scorePhase, targets, type ChannelAlert, type PhaseRows, type PhaseScore, type Truth } from '../../bench/detection/score';
import { ATTACK_KINDS } from '../standins/salesforce/realistic';

const VICTIM = '005000000000000V01';
const SPRAYED = '005000000000000T01';
const ANNA = '005000000000000O01';
const BEN = '005000000000000O02';

const TRUTH: Truth = {
  people: 1500,
  ordinaryCount: 1480,
  attacks: [
    { id: 'A1-stuffing', kind: 'password-stuffing', victimUserId: VICTIM, touchedUserIds: [], markers: ['0Ya00000000STUFF1', '0Ak00000000STUFF2'] },
    { id: 'A2-spray', kind: 'password-spraying', victimUserId: '005000000000000V02', touchedUserIds: [SPRAYED], markers: ['198.51.100.66'] },
  ],
};

/** An alert naming these users; its text mentions the stuffing's session and the spray's address, as a real finding about them would. */
const alert = (rule: string, ...namedUserIds: string[]): ChannelAlert => about(rule, 'sessions 0Ak00000000STUFF2 from 198.51.100.66', ...namedUserIds);
const about = (rule: string, text: string, ...namedUserIds: string[]): ChannelAlert => ({
  alertKey: `${rule}:${namedUserIds.join(',')}`,
  rule,
  namedUserIds,
  via: 'post',
  text,
});
const rows = (alerts: ChannelAlert[], asks: PhaseRows['asks'] = [], messages: Record<string, number> = { alert_post: alerts.length }): PhaseRows => ({
  alerts,
  asks,
  messages,
});

type Expected = Partial<Pick<PhaseScore, 'alerts' | 'messages' | 'ordinaryNamed' | 'attackedNamed' | 'askedOrdinary' | 'askedAttacked' | 'found' | 'missed'>>;

describe('scorePhase', () => {
  it.each<[string, PhaseRows, Expected]>([
    [
      'nothing queued: no alert, both attacks missed',
      rows([], [], {}),
      { alerts: 0, messages: 0, ordinaryNamed: 0, found: [], missed: ['A1-stuffing', 'A2-spray'] },
    ],
    [
      'an ordinary person named twice counts once; the victim under a fitting rule is found',
      rows([alert('new-country', ANNA), alert('impossible-travel', ANNA), alert('failed-then-success', VICTIM)]),
      { alerts: 3, ordinaryNamed: 1, attackedNamed: 1, found: ['A1-stuffing'], missed: ['A2-spray'] },
    ],
    [
      'the victim under a rule that does not fit the attack is not a find',
      rows([alert('session-timeout', VICTIM)]),
      { attackedNamed: 1, found: [], missed: ['A1-stuffing', 'A2-spray'] },
    ],
    [
      'a spray alert naming the address’s accounts: the one who got in is found, the sprayed one is not ordinary',
      rows([alert('password-spraying', '005000000000000V02', SPRAYED)]),
      { ordinaryNamed: 0, attackedNamed: 2, found: ['A2-spray'] },
    ],
    [
      'a digest of three is three alerts in one message',
      {
        alerts: [alert('new-country', ANNA), alert('new-country', BEN), alert('distant-places', VICTIM)].map((a) => ({ ...a, via: 'digest' as const })),
        asks: [],
        messages: { alert_digest: 1 },
      },
      { alerts: 3, messages: 1, ordinaryNamed: 2, found: ['A1-stuffing'] },
    ],
    ['a summary notice is one message and names nobody', rows([], [], { notice: 1 }), { alerts: 0, messages: 1, ordinaryNamed: 0 }],
    [
      'asks: unreachable ones ask nobody; an ask naming the victim under a fitting rule is a find',
      rows(
        [],
        [
          { alertKey: 'k1', rule: 'new-country', userId: ANNA, state: 'asked', text: '' },
          { alertKey: 'k2', rule: 'new-country', userId: BEN, state: 'unreachable', text: '' },
          { alertKey: 'k3', rule: 'distant-places', userId: VICTIM, state: 'timed_out', text: 'distant-places:V01:0Ak00000000STUFF2' },
        ],
        {},
      ),
      { askedOrdinary: 1, askedAttacked: 1, found: ['A1-stuffing'] },
    ],
  ])('%s', (_label, input, expected) => {
    expect(scorePhase(input, TRUTH)).toEqual(expect.objectContaining(expected));
  });

  it('counts per rule: alerts, ordinary and attacked people named, people asked', () => {
    const score = scorePhase(
      rows(
        [alert('new-country', ANNA), alert('new-country', BEN), alert('new-country', VICTIM), alert('token-age', BEN)],
        [{ alertKey: 'x', rule: 'new-country', userId: ANNA, state: 'asked', text: '' }],
      ),
      TRUTH,
    );
    expect(score.perRule).toEqual([
      { rule: 'new-country', alerts: 3, ordinaryNamed: 2, attackedNamed: 1, asked: 1 },
      { rule: 'token-age', alerts: 1, ordinaryNamed: 1, attackedNamed: 0, asked: 0 },
    ]);
    expect(score.ordinaryAlerts.map((a) => `${a.rule} ${a.userId}`)).toEqual([`new-country ${ANNA}`, `new-country ${BEN}`, `token-age ${BEN}`]);
  });

  it('maps every attack kind the realistic org plants to at least one rule', () => {
    for (const kind of ATTACK_KINDS) expect(ATTACK_RULES[kind].length).toBeGreaterThan(0);
  });
});

describe('targets', () => {
  const score = (o: Partial<PhaseScore>): PhaseScore => ({
    alerts: 0,
    released: 0,
    summaryNamed: 0,
    messages: 0,
    ordinaryNamed: 0,
    attackedNamed: 0,
    askedOrdinary: 0,
    askedAttacked: 0,
    found: ['A1-stuffing', 'A2-spray'],
    missed: [],
    perRule: [],
    ordinaryAlerts: [],
    ...o,
  });
  const verdicts = (first: PhaseScore, day: PhaseScore) => targets(first, day, TRUTH).map((t) => t.pass);

  it.each<[string, Partial<PhaseScore>, Partial<PhaseScore>, boolean[]]>([
    ['all quiet and everything found', {}, {}, [true, true, true, true, true, true]],
    [
      'at the limits (1,500 people: 5 named, 30 alerts, 44 asked; the day 1 named)',
      { ordinaryNamed: 5, alerts: 30, askedOrdinary: 44 },
      { ordinaryNamed: 1, askedOrdinary: 44 },
      [true, true, true, true, true, true],
    ],
    [
      'one past each limit',
      { ordinaryNamed: 6, alerts: 31, askedOrdinary: 45 },
      { ordinaryNamed: 2, askedOrdinary: 45 },
      [true, false, false, false, false, false],
    ],
    ['a missed attack fails the first target only', { found: ['A1-stuffing'], missed: ['A2-spray'] }, {}, [false, true, true, true, true, true]],
  ])('%s', (_label, first, day, expected) => {
    expect(verdicts(score(first), score(day))).toEqual(expected);
  });
});
