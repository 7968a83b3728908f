import { describe, expect, it } from 'vitest';
import { parsePermissions } from '../../../../server/modules/users/users-repo';

describe('users.permissions column', () => {
  it('reads a comma list, ignoring blanks and names it does not know', () => {
    expect(parsePermissions('')).toEqual([]);
    expect(parsePermissions('sensitive')).toEqual(['sensitive']);
    expect(parsePermissions(' sensitive , bogus,')).toEqual(['sensitive']);
  });
});
