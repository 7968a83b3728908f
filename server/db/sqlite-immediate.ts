import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

/**
 * SQLite transactions that take the write lock at BEGIN (BEGIN IMMEDIATE). A deferred transaction
 * that reads first and writes later cannot wait for another connection holding the write lock
 * (the WAL checkpoint worker's TRUNCATE after a privacy request, a CLI): SQLite answers
 * SQLITE_BUSY at once instead of using busy_timeout, because waiting could deadlock. Found by the
 * HTTP fuzz run: privacy requests created while another one finished failed with 500 "database is
 * locked". An immediate transaction holds no snapshot yet, so it simply waits out busy_timeout.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}
