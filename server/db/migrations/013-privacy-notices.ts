import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Privacy notice versions and staff acceptances (issue 16). A published version is immutable: the
// database itself refuses an UPDATE or DELETE of a notice and an UPDATE of an acceptance (an
// acceptance row goes only with its user's erasure).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('privacy_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().unique())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('material', 'integer', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .execute();
  await db.schema
    .createTable('policy_acceptances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('notice_id', 'text', (c) => c.notNull())
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_acceptances_user_notice').on('policy_acceptances').columns(['user_id', 'notice_id']).unique().execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function veildesk_refuse_change() returns trigger as $$ begin raise exception '% are immutable: rows cannot be changed', TG_TABLE_NAME; end $$ language plpgsql`.execute(db);
    await sql`create trigger privacy_notices_immutable before update or delete on privacy_notices for each row execute function veildesk_refuse_change()`.execute(db);
    await sql`create trigger policy_acceptances_immutable before update on policy_acceptances for each row execute function veildesk_refuse_change()`.execute(db);
    return;
  }
  await sql`create trigger privacy_notices_no_update before update on privacy_notices begin select raise(abort, 'privacy_notices are immutable once published'); end`.execute(db);
  await sql`create trigger privacy_notices_no_delete before delete on privacy_notices begin select raise(abort, 'privacy_notices are immutable once published'); end`.execute(db);
  await sql`create trigger policy_acceptances_no_update before update on policy_acceptances begin select raise(abort, 'policy_acceptances cannot be changed'); end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('policy_acceptances').execute();
  await db.schema.dropTable('privacy_notices').execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function if exists veildesk_refuse_change()`.execute(db);
}
