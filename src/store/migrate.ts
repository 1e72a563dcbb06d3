import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initial } from './migrations/0001-initial';
import { auditAnchor } from './migrations/0002-audit-anchor';
import { slackOutbox } from './migrations/0003-slack-outbox';
import { monitor } from './migrations/0004-monitor';
import { askUser } from './migrations/0005-ask-user';
import { suppressions } from './migrations/0006-suppressions';
import { digests } from './migrations/0007-digests';
import { outboxMaybePerformed } from './migrations/0008-outbox-maybe-performed';
import { monitorLoginSource } from './migrations/0009-monitor-login-source';
import { monitorLoginsByTime } from './migrations/0010-monitor-logins-by-time';
import type { Tables } from './schema';

/**
 * Listed in code rather than scanned from a folder, so the compiled build, ts sources under jest
 * and any bundler all see the same set. Names sort in apply order; never rename or edit one
 * that has shipped, add a new one instead.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-audit-anchor': auditAnchor,
  '0003-slack-outbox': slackOutbox,
  '0004-monitor': monitor,
  '0005-ask-user': askUser,
  '0006-suppressions': suppressions,
  '0007-digests': digests,
  '0008-outbox-maybe-performed': outboxMaybePerformed,
  '0009-monitor-login-source': monitorLoginSource,
  '0010-monitor-logins-by-time': monitorLoginsByTime,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...MIGRATIONS }),
};

/** Idempotent; Kysely's migration lock makes replicas starting together apply each migration once. */
export async function migrateToLatest(db: Kysely<Tables>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
