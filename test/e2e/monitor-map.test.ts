/**
 * The map under travel alerts (issue 10): the monitor posts a distant-places alert for Bob
 * (San Francisco, then Moscow), and the outbox uploads a PNG map into that alert's thread with
 * files.uploadV2 — real Bolt, real @slack/web-api, the Slack stand-in storing the bytes. A failing
 * upload leaves the alert posted and the outbox free for the alert's later edits.
 */
import { PNG } from 'pngjs';
import { everything } from '../standins/salesforce/scenarios';
import { SECURITY_CHANNEL } from '../support/harness';
import { startHarness, type Harness } from '../support/harness';
import { alertFor, alertMessages, blockText, pollAndDeliver, ruleOf } from '../support/monitor';

const MAP_RULES = ['distant-places', 'impossible-travel'];

const BOB = 'bob@acme.com';

/** The alert messages that should carry a map (the scenario has Bob, and a second traveller). */
function travelAlerts(h: Harness) {
  return alertMessages(h).filter((m) => MAP_RULES.includes(ruleOf(m) ?? ''));
}

function sharedFiles(h: Harness) {
  return [...h.slack.files.values()].filter((f) => f.shared !== null);
}

function uploadedInto(h: Harness, threadTs: string) {
  return [...h.slack.files.values()].filter((f) => f.shared?.channel === SECURITY_CHANNEL && f.shared.threadTs === threadTs);
}

describe('travel alerts carry a map', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: everything({ now: new Date() }).org });
    await pollAndDeliver(h);
  });
  afterAll(() => h.close());

  it("uploads one PNG map into the distant-places alert's thread, titled with the places", () => {
    const alert = alertFor(h, 'distant-places', BOB);
    const [file, ...more] = uploadedInto(h, alert.ts);
    expect(more).toHaveLength(0);
    expect(file?.filename).toBe('travel-map.png');
    expect(file?.title).toContain('San Francisco');
    expect(file?.title).toContain('Moscow');
    const png = PNG.sync.read(file?.bytes ?? Buffer.alloc(0));
    expect([png.width, png.height]).toEqual([600, 300]);
    // Screen readers get the places: the stand-in, like Slack, keeps only the documented `alt_txt` argument.
    expect(file?.altText).toMatch(/San Francisco.*Moscow|Moscow.*San Francisco/);
    // The upload went in the order Slack wants: URL, bytes, then completion in the thread.
    const methods = h.slack.calls.filter((c) => c.method.startsWith('files.')).map((c) => c.method);
    expect(methods.slice(0, 2)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
  });

  it('maps every distant-places and impossible-travel alert once, in its own thread, and no alert of another rule', () => {
    const travel = travelAlerts(h);
    expect(travel.length).toBeGreaterThanOrEqual(2);
    for (const alert of travel) expect(uploadedInto(h, alert.ts)).toHaveLength(1);
    expect(sharedFiles(h)).toHaveLength(travel.length);
  });

  it('uploads nothing more on the next poll (one map per alert)', async () => {
    const before = h.slack.files.size;
    await pollAndDeliver(h);
    expect(h.slack.files.size).toBe(before);
  });
});

describe('a failing map upload', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('leaves the alert posted without its map, and nothing stuck in the outbox (Slack fault on files.getUploadURLExternal)', async () => {
    h = await startHarness({ org: everything({ now: new Date() }).org });
    h.slack.faults.failNext('files.getUploadURLExternal', 'internal_error');
    await pollAndDeliver(h);
    // Bob's impossible hop to Moscow is a signal of his distant-places alert (one alert per incident): one map for both.
    const distant = alertFor(h, 'distant-places', BOB);
    expect(distant.ts).toBeTruthy();
    expect(blockText(distant, 'alert_signals')).toContain('`impossible-travel`');
    const travel = travelAlerts(h);
    expect(travel.length).toBeGreaterThanOrEqual(2);
    const failed = h.slack.callsTo('files.getUploadURLExternal').filter((c) => c.response.error === 'internal_error');
    expect(failed).toHaveLength(1);
    // The refused map is given up (not retried); every other travel alert still gets its map.
    expect(sharedFiles(h)).toHaveLength(travel.length - 1);
    expect(travel.filter((alert) => uploadedInto(h, alert.ts).length === 0)).toHaveLength(1);
    // Nothing is left waiting: drain() returned, and a later edit of the alerts is not held behind a map.
    await pollAndDeliver(h);
    expect(alertFor(h, 'distant-places', BOB).ts).toBe(distant.ts);
  });
});
