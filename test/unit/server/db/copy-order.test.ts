import { describe, expect, it } from 'vitest';
import { copyOrder, type SourceTable } from '../../../../server/db/move/copy-order';

const table = (name: string, parents: string[] = []): SourceTable => ({ name, columns: ['id'], parents, rows: 0 });

describe('the order db:move-to-postgres copies tables in', () => {
  it('puts every table after the tables its foreign keys point at, by name otherwise', () => {
    const order = copyOrder([table('messages', ['interactions']), table('audit_log'), table('interactions', ['queues', 'users']), table('users'), table('queues')]).map((t) => t.name);
    expect(order).toEqual(['audit_log', 'queues', 'users', 'interactions', 'messages']);
  });

  it('accepts a table pointing at itself and refuses a cycle between tables', () => {
    expect(copyOrder([table('tree', ['tree'])]).map((t) => t.name)).toEqual(['tree']);
    expect(() => copyOrder([table('a', ['b']), table('b', ['a'])])).toThrow(/cycle through a/);
  });
});
