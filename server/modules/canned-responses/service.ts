import { randomUUID } from 'node:crypto';
import type { CannedResponse, CannedResponseInput, CreateCannedResponse } from '../../../shared/api/canned-responses';
import type { Db } from '../../db/database';
import type { Transaction } from 'kysely';
import type { CannedResponsesTable, Database } from '../../db/schema';
import { DomainError } from '../../kernel/errors';
import { AuditAction } from '../audit/actions';
import type { AuditActor, AuditLog } from '../audit/audit-log';
import type { Redaction } from '../redaction/redaction-service';

export interface CannedCaller extends AuditActor {
  isAdmin: boolean;
}

/** At most this many personal snippets per person and org snippets in all. */
export const MAX_CANNED_PER_OWNER = 200;

/**
 * Canned responses: the org's (admins write them; changes audited with the id and title only) and
 * each staff member's own (visible to nobody else). The text is redacted on save with the org's
 * policy, so a card number typed into a snippet is never stored. Another person's snippet answers
 * 404 like an unknown one.
 */
export class CannedResponsesService {
  constructor(
    private readonly deps: { db: Db; audit: AuditLog; redaction: Redaction; now: () => Date },
  ) {}

  async list(callerId: string): Promise<CannedResponse[]> {
    const rows = await this.deps.db.kysely
      .selectFrom('canned_responses')
      .selectAll()
      .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', callerId)]))
      .execute();
    const items = rows.map(toItem);
    // The org's first, then the caller's own; each by title.
    return items.sort((a, b) => (a.scope === b.scope ? a.title.localeCompare(b.title) : a.scope === 'org' ? -1 : 1));
  }

  async create(input: CreateCannedResponse, caller: CannedCaller): Promise<CannedResponse> {
    if (input.scope === 'org' && !caller.isAdmin) throw new DomainError('forbidden', "Only admins write the org's replies; save it as your own (scope personal).");
    const owner = input.scope === 'org' ? null : caller.id;
    const count = await this.deps.db.kysely
      .selectFrom('canned_responses')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('owner_id', owner === null ? 'is' : '=', owner)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_CANNED_PER_OWNER) throw new DomainError('conflict', `At most ${MAX_CANNED_PER_OWNER} replies here; delete one you no longer use first.`);
    const at = this.deps.now().toISOString();
    const row: CannedResponsesTable = { id: randomUUID(), owner_id: owner, ...this.cleaned(input), created_at: at, updated_at: at };
    await this.write(row.owner_id, caller, row, 'created', (trx) => trx.insertInto('canned_responses').values(row).execute());
    return toItem(row);
  }

  async update(id: string, input: CannedResponseInput, caller: CannedCaller): Promise<CannedResponse> {
    const row = await this.writable(id, caller);
    const patch = { ...this.cleaned(input), updated_at: this.deps.now().toISOString() };
    const updated = { ...row, ...patch };
    await this.write(row.owner_id, caller, updated, 'updated', (trx) => trx.updateTable('canned_responses').set(patch).where('id', '=', row.id).execute());
    return toItem(updated);
  }

  async remove(id: string, caller: CannedCaller): Promise<void> {
    const row = await this.writable(id, caller);
    await this.write(row.owner_id, caller, row, 'deleted', (trx) => trx.deleteFrom('canned_responses').where('id', '=', row.id).execute());
  }

  /** The caller's own snippet, or an org one for an admin; 404 otherwise, as for an unknown id. */
  private async writable(id: string, caller: CannedCaller): Promise<CannedResponsesTable> {
    const row = id.length <= 64 ? await this.deps.db.kysely.selectFrom('canned_responses').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!row || (row.owner_id !== null && row.owner_id !== caller.id)) throw new DomainError('not_found', `No reply ${id.slice(0, 64)} of yours.`);
    if (row.owner_id === null && !caller.isAdmin) throw new DomainError('forbidden', "Only admins change the org's replies.");
    return row;
  }

  private cleaned(input: CannedResponseInput): { title: string; text: string } {
    return { title: this.deps.redaction.redact(input.title).text, text: this.deps.redaction.redact(input.text).text };
  }

  /** One write; for an org reply its audit entry (id and title only) in the same transaction. */
  private async write(owner: string | null, caller: AuditActor, row: CannedResponsesTable, change: string, work: (trx: Transaction<Database>) => Promise<unknown>): Promise<void> {
    await this.deps.db.kysely.transaction().execute(async (trx) => {
      await work(trx);
      if (owner === null) await this.deps.audit.appendIn(trx, { actor: { id: caller.id, username: caller.username }, action: AuditAction.cannedResponseChanged, target: row.id, details: { change, title: row.title } });
    });
  }
}

function toItem(row: CannedResponsesTable): CannedResponse {
  return { id: row.id, scope: row.owner_id === null ? 'org' : 'personal', title: row.title, text: row.text, updatedAt: row.updated_at };
}
