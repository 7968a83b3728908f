import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema';
/** The consent purposes a start carries, checked against the org's settings before anything is stored. */
export interface PreparedConsents {
  noticeVersion: string;
  purposes: readonly { id: string; label: string }[];
}

/**
 * What intake asks of the consent module (server/modules/consent) when a widget starts a chat or
 * call with ticked purposes. A port, so this module does not import that one.
 */
export interface ConsentIntake {
  /** Refuses (bad_request, conflict) unknown purposes or a notice that changed since the form showed it. */
  prepare(input: { consents: readonly string[]; noticeVersion?: string | undefined }): Promise<PreparedConsents | null>;
  /** Stores one consent record per purpose (channel `widget`), audited, inside the start's transaction. */
  record(interactionId: string, prepared: PreparedConsents, at: Date, trx: Transaction<Database>): Promise<void>;
}
