import type { SuppressionGate } from '../monitor/ports';
import { createSuppressionOperations, suppressionGate, type SuppressionOperations } from '../operations/suppressions';
import type { OutboxAlertNotifier } from '../slack/alert-notifier';
import type { AuditStore, Database } from '../store';
import { SuppressionsStore } from '../store/suppressions-store';
import type { AlertParts } from './monitor';

/** "Mark expected": the store, what people do with it (Slack-free), and the monitor's gate. */
export function buildSuppressions(
  database: Database,
  parts: AlertParts,
  audit: Pick<AuditStore, 'append'>,
  notifier: Pick<OutboxAlertNotifier, 'alertUpdated'>,
  now: () => Date,
): { store: SuppressionsStore; ops: SuppressionOperations; gate: SuppressionGate } {
  const store = new SuppressionsStore(database);
  const ops = createSuppressionOperations({
    store,
    alerts: parts.alerts,
    sessionsOfUser: (userId) => parts.mirror.sessionsOfUsers([userId]),
    usersByIds: (ids) => parts.mirror.usersByIds(ids),
    audit,
    alertUpdated: (key, group) => notifier.alertUpdated(key, group),
    now,
  });
  return { store, ops, gate: suppressionGate(store) };
}
