/**
 * The App Home tab: strict Block Kit for a Home view (views.publish), what an admin or approver
 * sees, and the one sentence everyone else sees.
 */
import { homeView, outsiderHomeView, uncheckedHomeView, OUTSIDER_SENTENCE } from '../../../src/slack/views/home';
import { checkViewPayload } from '../../standins/slack/blockkit';
import { allText } from '../../support/assert-valid-blocks';
import { makeHomeSnapshot as snapshot } from '../../support/view-factories';

describe('the App Home tab', () => {
  it('for an admin or approver: the monitor, open alerts worst first, pending requests with their age, suppressions — a valid Home view', () => {
    const view = homeView(snapshot());
    expect(checkViewPayload(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = allText(view.blocks);
    expect(text).toContain('polling (this replica)');
    expect(text).toContain('1,234');
    expect(text).toContain('*Open alerts* (40)');
    const first = JSON.stringify(view.blocks.find((b) => b.block_id === 'home_alert_1'));
    expect(first).toContain(':red_circle:');
    expect(first).toContain('*Person 1* (p1@acme.com)');
    expect(text).toContain('25 more open alerts');
    expect(text).toContain('waiting *2 h 5 min*');
    expect(text).toContain('Ada Lovelace');
    expect(text).toContain('203.0.113.0/24');
    expect(text).toContain('Travelling to the Lisbon office');
  });

  it('says so when there is nothing, and when the monitor is off or its last poll failed', () => {
    const quiet = homeView(
      snapshot({
        openAlerts: [],
        openAlertCount: 0,
        pendingRequests: [],
        suppressions: [],
        monitor: { role: 'off', lastPollAt: null, callsToday: 0, budget: 'normal', lastError: null },
      }),
    );
    expect(checkViewPayload(quiet)).toEqual([]);
    const text = allText(quiet.blocks);
    expect(text).toContain('No open alerts');
    expect(text).toContain('Nothing waits for approval');
    expect(text).toContain('No findings are marked expected');
    expect(text).toContain('off (MONITOR_INTERVAL_SECONDS is 0)');
    const failing = homeView(
      snapshot({ monitor: { role: 'leader', lastPollAt: null, callsToday: 3, budget: 'paused', lastError: 'Salesforce answered 503' } }),
    );
    expect(allText(failing.blocks)).toMatch(/Last poll failed\* Salesforce answered 503/);
    expect(allText(failing.blocks)).toContain('polling paused');
  });

  it('for anyone else: one sentence on who may use the bot, nothing else', () => {
    const view = outsiderHomeView();
    expect(checkViewPayload(view)).toEqual([]);
    expect(allText(view.blocks)).toBe(OUTSIDER_SENTENCE);
    expect(checkViewPayload(uncheckedHomeView('Slack is not answering'))).toEqual([]);
  });
});
