import type { Kysely } from 'kysely';

// Admin screens (issue 19): a password set by an admin must be changed at the next sign-in, and a
// queue may hold fewer chats per agent than the server's VEILDESK_CHAT_CAPACITY (null: that default).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'text').execute();
  await db.schema.alterTable('queues').addColumn('chat_capacity', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('queues').dropColumn('chat_capacity').execute();
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
