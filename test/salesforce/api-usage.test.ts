import { budgetState, remainingPercent, type ApiUsage, type BudgetState } from '../../src/domain/budget';
import { apiUsageOf } from '../../src/salesforce/api-usage';
import { SalesforceError } from '../../src/salesforce/errors';
import { quietUser } from '../standins/salesforce/scenarios';
import { monitorFixture, type MonitorFixture } from '../support/monitor-fixture';

const NOW = new Date();
let fx: MonitorFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const poll = (f: MonitorFixture): Promise<unknown> => f.reader.poll({ sessionsSince: NOW, loginsSince: NOW, overlapMs: 120_000 });

describe('budgetState', () => {
  // floor 20 %: stretched below 20 % remaining, paused below 10 %.
  it.each<[string, ApiUsage | null, number, BudgetState]>([
    ['usage not known yet', null, 20, 'normal'],
    ['nothing spent', { used: 0, limit: 15_000 }, 20, 'normal'],
    ['exactly at the floor (20 % left)', { used: 12_000, limit: 15_000 }, 20, 'normal'],
    ['one call under the floor', { used: 12_001, limit: 15_000 }, 20, 'stretched'],
    ['exactly half the floor left (10 %)', { used: 13_500, limit: 15_000 }, 20, 'stretched'],
    ['one call under half the floor', { used: 13_501, limit: 15_000 }, 20, 'paused'],
    ['all spent', { used: 15_000, limit: 15_000 }, 20, 'paused'],
    ['overrun (Salesforce lets orgs go over briefly)', { used: 15_300, limit: 15_000 }, 20, 'paused'],
    ['floor 0: never stretched while anything is left', { used: 14_999, limit: 15_000 }, 0, 'normal'],
    ['floor 0: nothing left still pauses', { used: 15_000, limit: 15_000 }, 0, 'paused'],
    ['floor 100: any spending stretches', { used: 1, limit: 15_000 }, 100, 'stretched'],
    ['floor 100: under half left pauses', { used: 7_501, limit: 15_000 }, 100, 'paused'],
    ['floor 50, large org', { used: 3_500_000, limit: 5_000_000 }, 50, 'stretched'],
  ])('%s → %s', (_case, usage, floor, expected) => {
    expect(budgetState(usage, floor)).toBe(expected);
  });

  it.each([-1, 101, Number.NaN])('refuses a floor of %s', (floor) => {
    expect(() => budgetState({ used: 0, limit: 100 }, floor)).toThrow(RangeError);
  });

  it('reports the remaining share in percent', () => {
    expect(remainingPercent({ used: 3_000, limit: 15_000 })).toBe(80);
    expect(remainingPercent({ used: 15_150, limit: 15_000 })).toBe(-1);
  });
});

describe('apiUsageOf', () => {
  it('is null until Salesforce has answered, then follows each answer', async () => {
    const s = quietUser({ now: NOW });
    fx = await monitorFixture(s.org, { apiLimit: 1_000 });
    expect(apiUsageOf(fx.conn)).toBeNull();

    await poll(fx);
    expect(apiUsageOf(fx.conn)).toEqual({ used: fx.sf.apiUsage(), limit: 1_000 });
    const afterFirst = fx.sf.apiUsage();
    await poll(fx);
    expect(apiUsageOf(fx.conn)).toEqual({ used: afterFirst + 1, limit: 1_000 });
  });

  it('moves the budget from normal to stretched to paused as the org spends its allowance', async () => {
    const s = quietUser({ now: NOW });
    const f = await monitorFixture(s.org, { apiLimit: 1_000 });
    fx = f;
    const stateAfterPollAt = async (used: number): Promise<BudgetState> => {
      f.sf.setApiUsage(used);
      await poll(f);
      return budgetState(apiUsageOf(f.conn), 20);
    };
    // The poll itself is counted, and the header reports usage including it.
    expect(await stateAfterPollAt(500)).toBe('normal');
    expect(apiUsageOf(f.conn)).toEqual({ used: 501, limit: 1_000 });
    expect(await stateAfterPollAt(799)).toBe('normal'); // 800 used: 20 % left
    expect(await stateAfterPollAt(800)).toBe('stretched'); // 801 used: 19.9 % left
    expect(await stateAfterPollAt(899)).toBe('stretched'); // 900 used: 10 % left
    expect(await stateAfterPollAt(900)).toBe('paused'); // 901 used
  });

  it('still reads the usage from the answer refusing a call once the limit is reached', async () => {
    const s = quietUser({ now: NOW });
    fx = await monitorFixture(s.org, { apiLimit: 1_000 });
    fx.sf.setApiUsage(1_000);
    await expect(poll(fx)).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    await expect(poll(fx)).rejects.toBeInstanceOf(SalesforceError);
    expect(apiUsageOf(fx.conn)).toEqual({ used: 1_000, limit: 1_000 });
    expect(budgetState(apiUsageOf(fx.conn), 20)).toBe('paused');
  });

  it.each([
    ['no apiUsage', {}],
    ['a zero limit', { apiUsage: { used: 5, limit: 0 } }],
    ['a non-number', { apiUsage: { used: Number.NaN, limit: 100 } }],
  ])('is null for a limitInfo with %s', (_case, limitInfo) => {
    expect(apiUsageOf({ limitInfo })).toBeNull();
  });
});
