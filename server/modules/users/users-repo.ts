import { randomUUID } from 'node:crypto';
import { StaffPermission, type Role, type User } from '../../../shared/domain/roles';
import type { Db } from '../../db/database';
import type { Database, UsersTable } from '../../db/schema';
import type { Transaction } from 'kysely';
import { DEFAULT_SCRYPT_N } from '../../config';
import { PasswordHasher } from '../auth/passwords';

export function toUser(row: Pick<UsersTable, 'id' | 'username' | 'display_name' | 'role'>): User {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

export class UsersRepo {
  constructor(
    private readonly db: Db,
    /** Hashes new passwords; the server passes its configured one (cost from VEILDESK_PASSWORD_SCRYPT_N). */
    private readonly hasher: PasswordHasher = new PasswordHasher({ N: DEFAULT_SCRYPT_N }),
  ) {}

  findByUsername(username: string) {
    return this.db.kysely.selectFrom('users').selectAll().where('username', '=', username).where('disabled', '=', 0).executeTakeFirst();
  }

  findById(id: string) {
    return this.db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async listByRole(role: Role): Promise<User[]> {
    const rows = await this.db.kysely.selectFrom('users').selectAll().where('role', '=', role).where('disabled', '=', 0).orderBy('username').execute();
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.db.kysely.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The user's extra permissions (unknown names in the column are ignored). */
  async permissions(id: string): Promise<StaffPermission[]> {
    const row = await this.db.kysely.selectFrom('users').select('permissions').where('id', '=', id).executeTakeFirst();
    return parsePermissions(row?.permissions ?? '');
  }

  /** Replaces a hash made with older parameters; unless the password changed meanwhile (then the newer one stays). */
  async replacePasswordHash(id: string, previous: string, next: string): Promise<void> {
    await this.db.kysely.updateTable('users').set({ password_hash: next }).where('id', '=', id).where('password_hash', '=', previous).execute();
  }

  /** Creates the user; `alongside` (its audit entry) runs in the same transaction as the insert. */
  async create(
    input: { username: string; displayName: string; role: Role; password: string; permissions?: readonly StaffPermission[] },
    alongside?: (trx: Transaction<Database>, user: User) => Promise<unknown>,
  ): Promise<User> {
    const row = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await this.hasher.hash(input.password),
      created_at: new Date().toISOString(),
    };
    const user = toUser(row);
    await this.db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('users').values({ ...row, permissions: (input.permissions ?? []).join(',') }).execute();
      await alongside?.(trx, user);
    });
    return user;
  }
}

export function parsePermissions(column: string): StaffPermission[] {
  return column.split(',').flatMap((name) => {
    const parsed = StaffPermission.safeParse(name.trim());
    return parsed.success ? [parsed.data] : [];
  });
}
