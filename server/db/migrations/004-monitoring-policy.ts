import type { Kysely } from 'kysely';

// Live call monitoring: the org's monitoring policy (one row). Roles are stored as a comma-separated
// list (portable column types only, like 001–003).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('monitoring_policy')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('show_notice', 'integer', (c) => c.notNull())
    .addColumn('pause_stops_monitoring', 'integer', (c) => c.notNull())
    .addColumn('roles_allowed', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('monitoring_policy').execute();
}
