import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema';

/** One distinct address on record, with the newest interaction it was taken from. */
export interface Recipient {
  email: string;
  emailHash: string;
  interactionId: string;
}

const Address = z.email();

/** SHA-256 (hex) of the address, lower-cased and trimmed: the same person's address typed twice is one recipient. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Interactions whose contact fields are still on record: not child-protected, an e-mail present,
 * and not past the contacts retention (a closed or abandoned interaction that ended before the
 * cutoff is due for purging, even if the hourly job has not run yet). `cutoff` null: all.
 */
function onRecord(cutoff: Date | null) {
  const window = cutoff === null ? sql`` : sql` and not (status in ('closed', 'abandoned') and ended_at is not null and ended_at < ${cutoff.toISOString()})`;
  return sql`customer_email is not null and child_protected = 0${window}`;
}

/**
 * Every distinct customer address on record, newest first (by the newest interaction holding it).
 * Addresses that are not valid e-mail addresses are left out (the widget checks them, older rows
 * may not have been).
 */
export async function recipientsOnRecord(db: Kysely<Database>, cutoff: Date | null): Promise<Recipient[]> {
  const { rows } = await sql<{ id: string; customer_email: string }>`select id, customer_email from interactions where ${onRecord(cutoff)} order by created_at desc, id desc`.execute(db);
  const byHash = new Map<string, Recipient>();
  for (const row of rows) {
    const email = row.customer_email.trim();
    if (!Address.safeParse(email).success) continue;
    const hash = emailHash(email);
    if (!byHash.has(hash)) byHash.set(hash, { email, emailHash: hash, interactionId: row.id });
  }
  return [...byHash.values()];
}

/** Whether the address is still on record (an erase, a rectification or retention may have removed it since the list was made). */
export async function stillOnRecord(db: Kysely<Database>, email: string, cutoff: Date | null): Promise<boolean> {
  // lower(customer_email): the expression the privacy search indexes, so this is an index lookup there.
  const { rows } = await sql<{ one: number }>`select 1 as one from interactions where lower(customer_email) = ${email.trim().toLowerCase()} and ${onRecord(cutoff)} limit 1`.execute(db);
  return rows.length > 0;
}
