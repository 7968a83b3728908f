import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * A multi-row insert built by Kysely once per row count and dialect, then reused with new
 * parameters. The chat's group commit writes a batch of messages (and their change-log rows) per
 * commit; building and compiling that query cost more JavaScript than the rest of the message's
 * path in the server. The SQL text is Kysely's own (quoting, placeholders: ? on SQLite, $n on
 * PostgreSQL), so both databases run exactly what an ordinary `insertInto().values()` would send.
 * Every row must give every column (null where empty): the cached text lists all of them.
 */
export class ReusableInsert<T extends keyof Database & string, Row extends Database[T]> {
  /** SQL text by dialect (the adapter's class) and row count. */
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly table: T,
    private readonly columns: readonly (keyof Row & string)[],
    /** Row counts past this are split into several statements (SQLite's and PostgreSQL's parameter limits). */
    private readonly maxRows = 100,
  ) {}

  async execute(k: Kysely<Database>, rows: readonly Row[]): Promise<void> {
    for (let i = 0; i < rows.length; i += this.maxRows) await this.executeChunk(k, rows.slice(i, i + this.maxRows));
  }

  private async executeChunk(k: Kysely<Database>, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const parameters: unknown[] = [];
    for (const row of rows) for (const column of this.columns) parameters.push(row[column] ?? null);
    const key = `${k.getExecutor().adapter.constructor.name}:${rows.length}`;
    let text = this.texts.get(key);
    if (text === undefined) {
      const full = rows.map((row) => Object.fromEntries(this.columns.map((c) => [c, row[c] ?? null])));
      const compiled = k.insertInto(this.table).values(full as never).compile();
      // The cached text must take exactly these parameters, in this order.
      if (compiled.parameters.length !== parameters.length || compiled.parameters.some((p, i) => p !== parameters[i])) {
        throw new Error(`reusable insert into ${this.table}: Kysely's parameters do not follow the column order`);
      }
      text = compiled.sql;
      this.texts.set(key, text);
    }
    await k.executeQuery(CompiledQuery.raw(text, parameters));
  }
}
