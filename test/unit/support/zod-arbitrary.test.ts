import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ClientMessage } from '../../../shared/api/ws';
import { type Endpoint, endpoints, isNotJson } from '../../../shared/api/endpoints';
import { IpcContract } from '../../../shared/bridge/ipc';
import { arbitraryFor, draw, mutatedFor, mutateValue } from '../../support/zod-arbitrary';

/** The fuzz runs are only as good as their generator: it must reach valid values and break them. */

const validShare = (schema: z.ZodType, n = 200, seed = 1) => draw(arbitraryFor(schema), n, seed).filter((v) => schema.safeParse(v).success).length / n;
const invalidShare = (schema: z.ZodType, n = 200, seed = 2) => draw(mutatedFor(schema), n, seed).filter((v) => !schema.safeParse(v).success).length / n;

describe('arbitraryFor: values from a zod 4 schema', () => {
  it('honours strings, numbers, enums, optional and nested objects, arrays, records, unions', () => {
    const schema = z.strictObject({
      id: z.string().min(1).max(64),
      code: z.string().regex(/^[A-Z]{3}-\d{2}$/),
      when: z.iso.datetime(),
      uuid: z.uuid(),
      email: z.email(),
      count: z.number().int().min(0).max(10),
      ratio: z.number().gt(0).lt(1),
      kind: z.enum(['chat', 'call']),
      flag: z.literal(true),
      note: z.string().max(5).optional(),
      tags: z.array(z.string()).min(1).max(3),
      map: z.record(z.string(), z.number()),
      either: z.discriminatedUnion('type', [z.object({ type: z.literal('a'), a: z.number() }), z.object({ type: z.literal('b'), b: z.string() })]),
      nullable: z.string().nullable(),
      defaulted: z.number().default(3),
      tuple: z.tuple([z.string(), z.boolean()]),
      piped: z.string().transform((s) => s.length),
      pre: z.preprocess((v) => v ?? 'x', z.string().min(1)),
    });
    expect(validShare(schema)).toBeGreaterThan(0.95);
  });

  it('reaches valid values for most of the real contracts', () => {
    const schemas: z.ZodType[] = [...ClientMessage.options, ...Object.values(IpcContract).map((c) => c.request)];
    for (const endpoint of Object.values(endpoints) as Endpoint[]) for (const part of [endpoint.params, endpoint.query, endpoint.body]) if (part && !isNotJson(part)) schemas.push(part as z.ZodType);
    const reached = schemas.filter((s) => validShare(s, 40) > 0).length;
    // A few contracts refine across fields (report ranges): the generator need not reach all of them unaided.
    expect(reached / schemas.length).toBeGreaterThan(0.9);
  });

  it('is reproducible for a seed', () => {
    const schema = z.object({ a: z.string(), b: z.array(z.number()) });
    expect(draw(arbitraryFor(schema), 20, 7)).toEqual(draw(arbitraryFor(schema), 20, 7));
    expect(draw(arbitraryFor(schema), 20, 7)).not.toEqual(draw(arbitraryFor(schema), 20, 8));
  });
});

describe('mutatedFor: values a schema must refuse', () => {
  it('breaks strict objects most of the time', () => {
    const schema = z.strictObject({ name: z.string().max(20), age: z.number().int().min(0), role: z.enum(['agent', 'admin']) });
    expect(invalidShare(schema)).toBeGreaterThan(0.8);
  });

  it('each mutation does what it says, on a copy', () => {
    const value = { a: 'text', b: { c: 1 } };
    expect(mutateValue(value, 'drop-field', 0, null, 'x')).toEqual({ b: { c: 1 } });
    expect(mutateValue(value, 'extra-field', 0, 5, 'y')).toEqual({ a: 'text', b: { c: 1 }, x_y: 5 });
    expect(mutateValue(value, 'odd-string', 0, null, '\u202e')).toEqual({ a: '\u202e', b: { c: 1 } });
    expect((mutateValue(value, 'huge-string', 0, null, 'ab') as { a: string }).a).toHaveLength(70_000);
    expect(mutateValue(value, 'wrong-root', 0, [1], 'x')).toEqual([1]);
    expect(value).toEqual({ a: 'text', b: { c: 1 } });
  });
});
