/**
 * bench:detection reads what the bot queued from the bot's own stores (issue 17.2): alert posts,
 * every member of a digest, notices, asks; edits, thread images and DMs are not new channel
 * messages. Written through the real stores on a real (in-memory SQLite) database.
 */
import { collectPhase, maxOutboxId } from '../../bench/detection/collect';
import type { Finding } from '../../src/domain/types';
import { makeFinding } from '../../src/rules/rule';
import { OutboxAlertNotifier } from '../../src/slack/alert-notifier';
import { OutboxAskNotifier } from '../../src/slack/ask-notifier';
import { AlertsStore, AsksStore, openDatabase, OutboxStore, type Database } from '../../src/store';
import { DigestsStore } from '../../src/store/digests-store';

const NOW = new Date('2026-12-08T12:00:00.000Z');
const ANNA = '005000000000001AAA';
const BEN = '005000000000002AAA';
const SPRAYED = '005000000000003AAA';

const finding = (rule: string, userId: string, row: string, message = 'm'): Finding =>
  makeFinding({ rule, userId, subject: 'logins', rowIds: [row], severity: 'medium', message });

describe('collectPhase', () => {
  let database: Database;
  beforeEach(async () => {
    database = await openDatabase('sqlite::memory:');
  });
  afterEach(async () => {
    await database.close();
  });

  it('counts posts, digest members and notices as the channel saw them, and the asks', async () => {
    const alerts = new AlertsStore(database);
    const outbox = new OutboxStore(database);
    const notifier = new OutboxAlertNotifier(
      outbox,
      () => undefined,
      () => NOW,
    );
    const asks = new AsksStore(database);
    const posted = finding('new-country', ANNA, '0Ya1');
    // The finding text mentions another account: it is named too.
    const spray = finding('password-spraying', BEN, '0Ya2', `tried ${SPRAYED} and ${BEN}`);
    const digested = [finding('impossible-travel', ANNA, '0Ya3'), finding('impossible-travel', BEN, '0Ya4')];
    for (const f of [posted, spray, ...digested]) expect(await alerts.claim(f, NOW)).toBe(true);
    await notifier.alertPosted(posted.key, posted.groupKey);
    await notifier.alertPosted(posted.key, posted.groupKey); // queued twice: still one alert
    await notifier.alertUpdated(posted.key, posted.groupKey);
    await notifier.alertImage(posted.key, posted.groupKey);
    await notifier.alertPosted(spray.key, spray.groupKey);
    const digest = await new DigestsStore(database).create(
      digested.map((f) => ({ alertKey: f.key, rule: f.rule, severity: f.severity })),
      NOW,
    );
    await notifier.digestPosted(digest.id);
    await notifier.notice('api-budget', { text: 'slowed', blocks: [] });
    const summary = {
      type: 'section' as const,
      text: { type: 'mrkdwn' as const, text: '*Worst first*\n• *Ada Chen* — 4 failed logins\n• *Ben Eze* — new country\n• *Ada Chen* — 4 failed logins' },
    };
    await notifier.notice('backlog', { text: 'Before Session Warden was watching', blocks: [summary] });
    await asks.create({
      alertKey: posted.key,
      groupKey: posted.groupKey,
      askedBy: 'system',
      email: 'anna@acme.com',
      askedAt: NOW,
      state: 'asked',
      slackUserId: 'U1',
      tz: null,
      dueAt: NOW,
    });
    await asks.create({
      alertKey: spray.key,
      groupKey: spray.groupKey,
      askedBy: 'system',
      email: 'ben@acme.com',
      askedAt: NOW,
      state: 'unreachable',
      unreachable: 'no_account',
    });
    await new OutboxAskNotifier(
      outbox,
      () => undefined,
      () => NOW,
    ).askPosted(posted.key);

    const rows = await collectPhase(database, { afterOutboxId: 0, asksSince: NOW });
    expect(rows.messages).toEqual({ alert_post: 2, alert_digest: 1, notice: 2 });
    // The summary names people by display name; it is a message, not an alert.
    expect(rows.summaryLines).toEqual(['• *Ada Chen* —', '• *Ben Eze* —']);
    expect(rows.alerts.map((a) => a.via)).toEqual(['post', 'post', 'digest', 'digest']);
    expect(rows.alerts[0]?.text).toContain(posted.key);
    expect(rows.alerts.map((a) => [a.rule, a.via, a.namedUserIds])).toEqual([
      ['new-country', 'post', [ANNA]],
      ['password-spraying', 'post', [BEN, SPRAYED]],
      ['impossible-travel', 'digest', [ANNA]],
      ['impossible-travel', 'digest', [BEN]],
    ]);
    expect(rows.asks.map(({ text: _text, signalRules: _signals, ...ask }) => ask)).toEqual([
      { alertKey: posted.key, rule: 'new-country', userId: ANNA, state: 'asked' },
      { alertKey: spray.key, rule: 'password-spraying', userId: BEN, state: 'unreachable' },
    ]);
    expect(rows.asks[1]?.text).toContain(SPRAYED);

    // A later phase sees only what was queued after it began.
    const mark = await maxOutboxId(database);
    const later = finding('new-country', BEN, '0Ya5');
    await alerts.claim(later, NOW);
    await notifier.alertPosted(later.key, later.groupKey);
    const next = await collectPhase(database, { afterOutboxId: mark, asksSince: new Date(NOW.getTime() + 1) });
    expect(next.alerts.map((a) => a.alertKey)).toEqual([later.key]);
    expect(next.asks).toEqual([]);
  });
  it('counts a held alert only once it is released to the channel, and each alert in one phase only', async () => {
    const alerts = new AlertsStore(database);
    const notifier = new OutboxAlertNotifier(
      new OutboxStore(database),
      () => undefined,
      () => NOW,
    );
    const waiting = finding('session-timeout', ANNA, '0Ak1');
    const released = finding('session-timeout', BEN, '0Ak2');
    const posted = finding('distant-places', ANNA, '0Ak3');
    await alerts.claim(waiting, NOW, { held: true });
    await alerts.claim(released, NOW, { held: true });
    await alerts.claim(posted, NOW);
    await notifier.alertPosted(posted.key, posted.groupKey);
    const first = await collectPhase(database, { afterOutboxId: 0, asksSince: NOW });
    expect(first.alerts.map((a) => a.alertKey)).toEqual([posted.key]);

    // Next phase: the unanswered one is released (an edit of an alert with no message: the outbox posts it); the posted one is edited.
    const mark = await maxOutboxId(database);
    expect(await alerts.release(released.key)).toBe(true);
    await notifier.alertUpdated(released.key, released.groupKey);
    await notifier.alertUpdated(posted.key, posted.groupKey);
    const next = await collectPhase(database, { afterOutboxId: mark, asksSince: NOW, exclude: new Set([posted.key]) });
    expect(next.alerts.map((a) => [a.alertKey, a.via])).toEqual([[released.key, 'released']]);
    expect(next.messages).toEqual({ 'alert_post (released)': 1 });
  });
});
