/**
 * The alert digest (one message for a storm) and its "Show the rest" pages: strict Block Kit,
 * within 50 blocks, the ten worst with the alert's own buttons, counts per rule, and page values
 * that round-trip.
 */
import type { ActionsBlock, Button } from '@slack/types';
import type { Severity } from '../../../src/domain/types';
import { ACTIONS, ALERT_ACTIONS, DIGEST_ACTIONS, decodeDigestPageValue, encodeDigestPageValue } from '../../../src/slack/views/action-ids';
import { LIMITS } from '../../../src/slack/views/blocks';
import {
  DIGEST_PAGE_SIZE,
  DIGEST_WORST_SHOWN,
  digestMessage,
  digestPageMessage,
  digestPages,
  digestPageOffset,
  type DigestAlertView,
} from '../../../src/slack/views/digest';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { NOW, makeFinding, makeSession, makeUser } from '../../support/view-factories';

const DIGEST_ID = 'G0123456789abcdef';

function alertView(i: number, severity: Severity = 'high', open = true): DigestAlertView {
  const userId = `005${String(i).padStart(12, '0')}AAA`;
  const sessions = [makeSession(2 * i + 1, { userId }), makeSession(2 * i + 2, { userId })];
  return {
    finding: makeFinding({
      rule: 'distant-places',
      severity,
      userId,
      key: `distant-places:${userId}:${i}`,
      groupKey: `distant-places:${userId}`,
      sessionIds: sessions.map((s) => s.id),
      message: `Sessions from Moscow and San Francisco ${i} min apart`,
    }),
    rule: { title: 'Live sessions from places too far apart' },
    user: makeUser({ id: userId, name: `User ${i}`, username: `user${i}@acme.com` }),
    sessions,
    open,
  };
}

function buttonsOf(blocks: readonly unknown[]): Button[] {
  return blocks.filter((b): b is ActionsBlock => (b as { type: string }).type === 'actions').flatMap((b) => b.elements as Button[]);
}

describe('the alert digest message', () => {
  const worst = Array.from({ length: DIGEST_WORST_SHOWN }, (_, i) => alertView(i + 1));
  const message = digestMessage({
    digestId: DIGEST_ID,
    total: 1_000,
    counts: [
      { rule: 'distant-places', title: 'Live sessions from places too far apart', severity: 'high', count: 1_000 },
      { rule: 'new-country', title: 'A login from a new country', severity: 'medium', count: 12 },
    ],
    worst,
    now: NOW,
  });

  it('passes the strict Block Kit checker and stays within 50 blocks', () => {
    expectValidMessage(message);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  });

  it('says how many per rule, and lists the ten worst each with the alert’s buttons', () => {
    const text = allText(message.blocks);
    expect(text).toContain('1,000 new alerts in one poll');
    expect(text).toMatch(/Live sessions from places too far apart\* — 1,000/);
    expect(text).toMatch(/A login from a new country\* — 12/);
    for (let i = 1; i <= DIGEST_WORST_SHOWN; i++) expect(text).toContain(`user${i}@acme.com`);
    const ids = buttonsOf(message.blocks).map((b) => b.action_id);
    expect(ids.filter((id) => id === ALERT_ACTIONS.removeSessions)).toHaveLength(DIGEST_WORST_SHOWN);
    expect(ids.filter((id) => id === ACTIONS.contain)).toHaveLength(DIGEST_WORST_SHOWN);
    expect(ids.filter((id) => id === ACTIONS.history)).toHaveLength(DIGEST_WORST_SHOWN);
    expect(ids.filter((id) => id === ACTIONS.pickUser)).toHaveLength(DIGEST_WORST_SHOWN);
  });

  it('offers "Show the rest" from page 1 of the other 990', () => {
    const more = buttonsOf(message.blocks).filter((b) => b.action_id === DIGEST_ACTIONS.showRest);
    expect(more).toHaveLength(1);
    expect(decodeDigestPageValue(more[0]?.value)).toEqual({ d: DIGEST_ID, p: 1 });
    expect(allText(message.blocks)).toContain('other 990 alerts');
  });

  it('has no "Show the rest" when every alert is already shown', () => {
    const small = digestMessage({
      digestId: DIGEST_ID,
      total: 3,
      counts: [{ rule: 'x', title: 'X', severity: 'low', count: 3 }],
      worst: worst.slice(0, 3),
      now: NOW,
    });
    expectValidMessage(small);
    expect(buttonsOf(small.blocks).some((b) => b.action_id === DIGEST_ACTIONS.showRest)).toBe(false);
  });
});

describe('a "Show the rest" page', () => {
  it('pages the 990 alerts after the ten worst, twenty at a time, each page valid and within 50 blocks', () => {
    expect(digestPages(1_000)).toBe(50);
    expect(digestPageOffset(1)).toBe(DIGEST_WORST_SHOWN);
    expect(digestPageOffset(2)).toBe(DIGEST_WORST_SHOWN + DIGEST_PAGE_SIZE);
    const items = Array.from({ length: DIGEST_PAGE_SIZE }, (_, i) => alertView(100 + i, 'medium'));
    const page = digestPageMessage({ digestId: DIGEST_ID, total: 1_000, page: 2, items, now: NOW });
    expectValidMessage(page);
    expect(page.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(allText(page.blocks)).toContain('Alerts 31–50 of 1,000');
    const next = buttonsOf(page.blocks).find((b) => b.action_id === DIGEST_ACTIONS.showRest);
    expect(decodeDigestPageValue(next?.value)).toEqual({ d: DIGEST_ID, p: 3 });
  });

  it('shows an alert resolved since the storm without its buttons, and the last page without "Next page"', () => {
    const items = [alertView(7, 'low', false)];
    const page = digestPageMessage({ digestId: DIGEST_ID, total: 11, page: 1, items, now: NOW });
    expectValidMessage(page);
    expect(allText(page.blocks)).toContain('no longer open');
    expect(buttonsOf(page.blocks)).toEqual([]);
  });
});

describe('the Show-the-rest button value', () => {
  it('round-trips and refuses anything else', () => {
    expect(decodeDigestPageValue(encodeDigestPageValue({ d: DIGEST_ID, p: 4 }))).toEqual({ d: DIGEST_ID, p: 4 });
    for (const bad of [
      '',
      'x',
      '{"d":"G0123456789abcdef"}',
      '{"d":"R0123456789abcdef","p":1}',
      '{"d":"G0123456789abcdef","p":0}',
      '{"d":"G0123456789abcdef","p":1,"x":1}',
    ]) {
      expect(decodeDigestPageValue(bad)).toBeNull();
    }
  });
});
