import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, type HashedFields } from '../../../server/modules/audit/canonical';

describe('canonicalJson', () => {
  it('encodes objects the same whatever order their keys were written in', () => {
    expect(canonicalJson({ b: 1, a: 2, c: 3 })).toBe('{"a":2,"b":1,"c":3}');
    expect(canonicalJson({ c: 3, a: 2, b: 1 })).toBe(canonicalJson({ a: 2, b: 1, c: 3 }));
  });

  it('sorts keys at every depth, inside arrays too, and keeps array order', () => {
    const one = { z: { y: [3, { b: 1, a: [{ d: 1, c: 2 }] }], x: null }, a: 's' };
    const two = { a: 's', z: { x: null, y: [3, { a: [{ c: 2, d: 1 }], b: 1 }] } };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
    expect(canonicalJson(one)).toBe('{"a":"s","z":{"x":null,"y":[3,{"a":[{"c":2,"d":1}],"b":1}]}}');
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('has no whitespace, round-trips through JSON.parse and is stable under re-encoding', () => {
    const value = { text: 'a b\n"q"', n: -1.5, t: true, f: false, nested: { list: ['x', { k: 'v' }] } };
    const encoded = canonicalJson(value);
    expect(encoded).toBe(JSON.stringify(JSON.parse(encoded))); // compact: no whitespace between tokens
    expect(JSON.parse(encoded)).toEqual(value);
    expect(canonicalJson(JSON.parse(encoded))).toBe(encoded);
  });

  it('drops undefined object members, encodes undefined array items and non-finite numbers as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson({ n: Number.NaN, i: Number.POSITIVE_INFINITY })).toBe('{"i":null,"n":null}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, _: 4, é: 5 })).toBe('{"B":2,"_":4,"a":3,"b":1,"é":5}');
  });

  it('distinguishes values that differ only in type', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
  });
});

describe('entryHash', () => {
  const fields: HashedFields = {
    id: 1,
    at: '2024-01-01T00:00:00.000Z',
    actorId: 'u1',
    actorName: 'agent1',
    action: 'auth.login',
    target: 'agent1',
    details: { address: '127.0.0.1', sessionId: 's1' },
    prevHash: GENESIS_HASH,
  };

  it('is a hex SHA-256 that does not depend on key order in details', () => {
    const hash = entryHash(fields);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...fields, details: { sessionId: 's1', address: '127.0.0.1' } })).toBe(hash);
  });

  it('changes when any field changes, including the previous hash', () => {
    const hash = entryHash(fields);
    const changes: Partial<HashedFields>[] = [
      { id: 2 },
      { at: '2024-01-01T00:00:00.001Z' },
      { actorId: null },
      { actorName: 'agent2' },
      { action: 'auth.logout' },
      { target: null },
      { details: { address: '127.0.0.2', sessionId: 's1' } },
      { prevHash: 'f'.repeat(64) },
    ];
    for (const change of changes) expect(entryHash({ ...fields, ...change }), JSON.stringify(change)).not.toBe(hash);
  });
});
