import type { Finding } from '../domain/types';
import { digestOverview, digestSlice, type DigestDeps, type DigestSlice } from '../operations/digests';
import { ALL_RULE_META } from '../rules/registry';
import type { RuleMeta } from '../rules/rule';
import type { OutboxAlertNotifier } from '../slack/alert-notifier';
import type { AlertMessages, DigestMessages } from '../slack/outbox';
import { DIGEST_WORST_SHOWN, digestMessage } from '../slack/views/digest';
import { DigestsStore } from '../store/digests-store';
import type { Database } from '../store';
import type { AlertParts } from './monitor';

export interface DigestParts {
  store: DigestsStore;
  /** What the operations read a digest through (also the App Home's alert views). */
  reader: DigestDeps;
  /** Renders digest rows for the outbox, at delivery time. */
  messages: DigestMessages;
  /**
   * The alert renderer, except that an alert that reached Slack inside a digest is not posted on
   * its own when it changes or is resolved later: a storm of resolutions would be a storm of posts.
   */
  alertMessages: AlertMessages;
  /** A storm's alerts (worst first) stored as one digest and its one message queued. */
  digest(findings: readonly Finding[]): Promise<void>;
  slice(digestId: string, offset: number, limit: number): Promise<DigestSlice | null>;
}

/** Rule titles and runbooks by id; an unknown id (a rule since removed) is shown as itself. */
export function ruleMetaById(): (ruleId: string) => Pick<RuleMeta, 'title' | 'runbook'> {
  const meta = new Map(ALL_RULE_META.map((m) => [m.id, m]));
  return (ruleId) => meta.get(ruleId) ?? { title: ruleId, runbook: 'Look at the user in /sessions.' };
}

/** Alert storms as one message each: the digests table, its rendering at delivery, and its pages. */
export function buildDigestParts(database: Database, alertParts: AlertParts, notifier: () => OutboxAlertNotifier, now: () => Date): DigestParts {
  const store = new DigestsStore(database);
  const reader: DigestDeps = { digests: store, alerts: alertParts.alerts, mirror: alertParts.mirror, ruleMeta: ruleMetaById() };
  const messages: DigestMessages = {
    async render(digestId) {
      const overview = await digestOverview(reader, digestId, DIGEST_WORST_SHOWN);
      if (!overview) return null;
      const message = digestMessage({ digestId, total: overview.total, counts: overview.counts, worst: overview.worst, now: now() });
      return { message, messageTs: overview.messageTs };
    },
    async posted(digestId, channelId, ts) {
      await store.setMessage(digestId, channelId, ts);
    },
  };
  const alertMessages: AlertMessages = {
    async render(alertKey) {
      const rendered = await alertParts.messages.render(alertKey);
      if (rendered && !rendered.messageTs && (await store.isDigested(alertKey))) return null;
      return rendered;
    },
    posted: (alertKey, channelId, ts) => alertParts.messages.posted(alertKey, channelId, ts),
    // The travel map (issue 10, D) is drawn from the alert itself: passed through unchanged.
    mapOf: async (alertKey) => (alertParts.messages.mapOf ? alertParts.messages.mapOf(alertKey) : null),
  };
  return {
    store,
    reader,
    messages,
    alertMessages,
    async digest(findings) {
      const digest = await store.create(
        findings.map((f) => ({ alertKey: f.key, rule: f.rule, severity: f.severity })),
        now(),
      );
      await notifier().digestPosted(digest.id);
    },
    slice: (digestId, offset, limit) => digestSlice(reader, digestId, offset, limit),
  };
}
