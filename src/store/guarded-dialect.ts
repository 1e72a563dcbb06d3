import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { toStoreError } from './errors';

export interface Guard {
  /** Names the database in error messages, e.g. "SQLite /data/warden.db". */
  database: string;
  /** Runs before every statement and commit; throws (a StoreError) to refuse the work. */
  beforeStatement?: () => void;
}

/**
 * Wraps a Kysely dialect so every store, including ones written later, gets the same two
 * properties without code of its own: failures surface as StoreError naming the database, and
 * the guard can refuse work (the SQLite file was replaced) before anything reaches the driver.
 */
export class GuardedDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly guard: Guard,
  ) {}

  createDriver(): Driver {
    return new GuardedDriver(this.inner.createDriver(), this.guard);
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  // Kysely<any> is the Dialect interface's own signature; the introspector is schema-agnostic.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

class GuardedConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly guard: Guard,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      this.guard.beforeStatement?.();
      return await this.inner.executeQuery<R>(compiledQuery);
    } catch (err) {
      throw toStoreError(err, this.guard.database);
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      this.guard.beforeStatement?.();
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
    } catch (err) {
      throw toStoreError(err, this.guard.database);
    }
  }
}

/** Drivers get back the connection they made: pg's release() lives on its own connection class. */
function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof GuardedConnection ? connection.inner : connection;
}

const NO_SAVEPOINTS = 'this database driver does not support savepoints';

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly guard: Guard,
  ) {}

  private async wrapped<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw toStoreError(err, this.guard.database);
    }
  }

  init(): Promise<void> {
    return this.wrapped(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.wrapped(() => this.inner.acquireConnection());
    return new GuardedConnection(connection, this.guard);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.wrapped(async () => {
      this.guard.beforeStatement?.();
      await this.inner.beginTransaction(unwrap(connection), settings);
    });
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    // Checked again at commit: a file swapped mid-transaction is rolled back by Kysely, not committed.
    return this.wrapped(async () => {
      this.guard.beforeStatement?.();
      await this.inner.commitTransaction(unwrap(connection));
    });
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.wrapped(() => this.inner.rollbackTransaction(unwrap(connection)));
  }

  savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.wrapped(async () => {
      if (!this.inner.savepoint) throw new Error(NO_SAVEPOINTS);
      await this.inner.savepoint(unwrap(connection), name, compileQuery);
    });
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.wrapped(async () => {
      if (!this.inner.rollbackToSavepoint) throw new Error(NO_SAVEPOINTS);
      await this.inner.rollbackToSavepoint(unwrap(connection), name, compileQuery);
    });
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return this.wrapped(async () => {
      if (!this.inner.releaseSavepoint) throw new Error(NO_SAVEPOINTS);
      await this.inner.releaseSavepoint(unwrap(connection), name, compileQuery);
    });
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
