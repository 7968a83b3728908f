import { sql, type Kysely } from 'kysely';

// Offline sync (docs/sync.md): the change log (one row per entity, moved to a fresh sequence number
// on each change), the counter that hands out those numbers, who may see which interaction,
// pushed mutations (exactly once per user and mutation id), agents' notes, late wrap-ups and the
// org entities (queues, settings) as last published. Portable column types only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_counter')
    .addColumn('singleton', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_changes')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text')
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_changes_entity').on('sync_changes').columns(['kind', 'entity_id']).unique().execute();
  await db.schema.createIndex('sync_changes_interaction').on('sync_changes').columns(['interaction_id', 'seq']).execute();

  await db.schema
    .createTable('sync_access')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('interaction_id', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    // The interaction's created_at, so an agent's newest interactions come from this index alone.
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_access_pk', ['user_id', 'interaction_id'])
    .execute();
  await db.schema.createIndex('sync_access_interaction').on('sync_access').columns(['interaction_id', 'user_id']).execute();
  await db.schema.createIndex('sync_access_newest').on('sync_access').columns(['user_id', 'created_at', 'interaction_id']).execute();

  await db.schema
    .createTable('sync_mutations')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('mutation_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_mutations_pk', ['user_id', 'mutation_id'])
    .execute();

  await db.schema
    .createTable('sync_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('interaction_id', 'text', (c) => c.notNull().references('interactions.id'))
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_version', 'integer', (c) => c.notNull())
    .addColumn('conflict_reason', 'text')
    .addColumn('conflict_of', 'text')
    .execute();
  await db.schema.createIndex('sync_notes_interaction').on('sync_notes').columns(['interaction_id', 'created_at']).execute();

  await db.schema
    .createTable('sync_late_wrapups')
    .addColumn('interaction_id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_org_entities')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_org_entities_pk', ['kind', 'id'])
    .execute();

  await backfill(db);
}

/**
 * What a database from before sync already holds enters the log once, oldest first: each agent
 * who handled or answered an interaction may see it, and every interaction, contact, wrap-up and
 * message gets a change row (version = its position).
 */
async function backfill(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into sync_access (user_id, interaction_id, granted_at, created_at)
    select g.user_id, g.interaction_id, min(g.granted_at), min(i.created_at) from (
      select agent_id as user_id, id as interaction_id, created_at as granted_at from interactions where agent_id is not null
      union all
      select actor_id, interaction_id, at from timeline where type = 'answered' and actor_id is not null
    ) g join interactions i on i.id = g.interaction_id group by g.user_id, g.interaction_id`.execute(db);
  await sql`
    insert into sync_changes (seq, kind, entity_id, interaction_id, op, version, reason, at)
    select row_number() over (order by at, rank, entity_id), kind, entity_id, interaction_id, 'upsert',
           row_number() over (order by at, rank, entity_id), null, at
    from (
      select 'interaction' as kind, id as entity_id, id as interaction_id, created_at as at, 0 as rank from interactions
      union all select 'contact', id, id, created_at, 1 from interactions
      union all select 'message', id, interaction_id, at, 2 from messages
      union all select 'wrapup', id, id, wrapup_at, 3 from interactions where wrapup_at is not null
    ) entities`.execute(db);
  await sql`insert into sync_counter (singleton, last_seq) select 1, coalesce(max(seq), 0) from sync_changes`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sync_org_entities', 'sync_late_wrapups', 'sync_notes', 'sync_mutations', 'sync_access', 'sync_changes', 'sync_counter']) {
    await db.schema.dropTable(table).execute();
  }
}
