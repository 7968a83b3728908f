import fc from 'fast-check';
import type { z } from 'zod';

/**
 * Walks a zod 4 schema into a fast-check arbitrary of what a client could send for it: the input
 * side (a pipe's input, an optional key left out, a default omitted). It aims at valid values but
 * does not promise them (refinements, trims and cross-field rules are not modelled); the fuzz tests
 * classify each value with the schema's own safeParse, so the generator only has to be good enough
 * to reach past the first check most of the time.
 */

// zod keeps its definitions under `_zod.def`; the public types do not expose the fields we read.
interface Def {
  type: string;
  [key: string]: unknown;
}
type AnySchema = z.core.$ZodType;
type Arb = fc.Arbitrary<unknown>;

const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (schema: AnySchema): Def[] => ((defOf(schema).checks as AnySchema[] | undefined) ?? []).map(defOf);
const isOptionalIn = (schema: AnySchema): boolean => (schema as unknown as { _zod: { optin?: string } })._zod.optin === 'optional';

export interface GenerateOptions {
  /** Longest string generated where the schema gives no maximum. */
  maxString: number;
  /** Most array items generated where the schema gives no maximum. */
  maxItems: number;
  /** How deep lazy/recursive schemas and unknown values go. */
  maxDepth: number;
  /** Arbitraries for object fields by name, for rules only code knows (e.g. a transform parsing `by=queue,day`). */
  keys: Readonly<Record<string, Arb>>;
}

const DEFAULTS: GenerateOptions = { maxString: 40, maxItems: 4, maxDepth: 4, keys: {} };

const hasCustomCheck = (schema: AnySchema): boolean => checksOf(schema).some((c) => c.check === 'custom');

/** Strings that break naive code: control characters, direction overrides, lone surrogates, path tricks, markup, prototype keys. */
export const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202eevil',
  '\u200b\u200c\u200d\ufeff',
  '\ud800',
  '\udfff\ud800',
  '𝕏𝕐𝕫🧑🏽‍💻',
  'e\u0301\u0301\u0301',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%',
  '<script>alert(1)</script>',
  "'; drop table users; --",
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  'vd_',
  'vc_',
  '\r\nX-Injected: 1',
];

/** Any string at all: ASCII, full Unicode including unpaired surrogates, or one of the odd ones. */
export function oddString(maxLength = 60): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.constantFrom(...ODD_STRINGS),
  );
}

/** A value of the wrong kind for most fields: other primitives, containers, huge or deep values. */
export function junkValue(): Arb {
  return fc.oneof(
    { weight: 3, arbitrary: oddString() },
    { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, -(2 ** 53), 1e308, -0.5)) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': '' }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 200 }).map((depth) => nest(depth)) },
  );
}

function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

function stringArb(schema: AnySchema, opts: GenerateOptions): fc.Arbitrary<string> {
  const def = defOf(schema);
  let min = 0;
  let max: number | undefined;
  let format = typeof def.format === 'string' ? def.format : undefined;
  let pattern = def.pattern instanceof RegExp ? def.pattern : undefined;
  let prefix = '';
  let suffix = '';
  for (const check of checksOf(schema)) {
    if (check.check === 'min_length') min = Math.max(min, check.minimum as number);
    else if (check.check === 'max_length') max = Math.min(max ?? Infinity, check.maximum as number);
    else if (check.check === 'length_equals') min = max = check.length as number;
    else if (check.check === 'string_format') {
      format = check.format as string;
      if (check.pattern instanceof RegExp) pattern = check.pattern;
      if (format === 'starts_with') prefix = check.prefix as string;
      if (format === 'ends_with') suffix = check.suffix as string;
    }
  }
  const fitted = (arb: fc.Arbitrary<string>) => (max === undefined ? arb : arb.filter((s) => s.length >= min && s.length <= max!));
  switch (format) {
    case 'uuid':
    case 'guid':
      return fc.uuid();
    case 'email':
      // fc.emailAddress follows the RFC; zod's check is stricter (no quotes, %, {…}): plain addresses.
      return fitted(
        fc.tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,18}[a-z0-9])?$/), fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom('com', 'org', 'example', 'de')).map(([l, d, t]) => `${l}@${d}.${t}`),
      );
    case 'url':
      return fitted(fc.webUrl());
    case 'datetime':
      return isoDate().map((d) => d.toISOString());
    case 'date':
      return isoDate().map((d) => d.toISOString().slice(0, 10));
    case 'time':
      return isoDate().map((d) => d.toISOString().slice(11, 19));
    case 'regex':
    case undefined:
      break;
    default:
      if (pattern && format !== 'starts_with' && format !== 'ends_with' && format !== 'includes') return fitted(fc.stringMatching(pattern));
  }
  if (format === 'regex' && pattern) {
    const cap = max ?? Math.max(min, opts.maxString);
    return fc.stringMatching(pattern).map((s) => (s.length > cap ? s.slice(0, cap) : s));
  }
  const upper = Math.max(min, Math.min(max ?? opts.maxString, Math.max(min, opts.maxString)));
  const room = Math.max(0, upper - prefix.length - suffix.length);
  const body = fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: Math.max(0, min - prefix.length - suffix.length), maxLength: room }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: Math.max(0, min - prefix.length - suffix.length), maxLength: room }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: Math.max(0, min - prefix.length - suffix.length), maxLength: room }) },
  );
  const plain = body.map((s) => prefix + s + suffix);
  if (!hasCustomCheck(schema)) return plain;
  // A refine we cannot read: offer the shapes such checks usually want (links, instants, dates) too.
  return fc.oneof(
    plain,
    fc.webUrl({ validSchemes: ['https'] }),
    fc.webUrl({ validSchemes: ['http', 'https'] }),
    isoDate().map((d) => d.toISOString()),
    isoDate().map((d) => d.toISOString().slice(0, 10)),
  );
}

const isoDate = () => fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

function numberArb(schema: AnySchema): fc.Arbitrary<number> {
  const def = defOf(schema);
  let integer = def.format === 'safeint' || def.format === 'int32' || def.format === 'uint32';
  let min: number | undefined;
  let max: number | undefined;
  let minExclusive = false;
  let maxExclusive = false;
  for (const check of checksOf(schema)) {
    if (check.check === 'number_format') integer ||= ['safeint', 'int32', 'uint32'].includes(check.format as string);
    if (check.check === 'greater_than') {
      min = check.value as number;
      minExclusive = !check.inclusive;
    }
    if (check.check === 'less_than') {
      max = check.value as number;
      maxExclusive = !check.inclusive;
    }
  }
  if (integer) {
    const lo = min === undefined ? -1_000_000 : Math.ceil(min) + (minExclusive && Number.isInteger(min) ? 1 : 0);
    const hi = max === undefined ? 1_000_000 : Math.floor(max) - (maxExclusive && Number.isInteger(max) ? 1 : 0);
    const bounded = fc.integer({ min: Math.max(lo, Number.MIN_SAFE_INTEGER), max: Math.min(Math.max(hi, lo), Number.MAX_SAFE_INTEGER) });
    // Edges are where off-by-one bugs live.
    return fc.oneof({ weight: 4, arbitrary: bounded }, { weight: 1, arbitrary: fc.constantFrom(Math.max(lo, Number.MIN_SAFE_INTEGER), Math.min(Math.max(hi, lo), Number.MAX_SAFE_INTEGER)) });
  }
  return fc.double({ min: min ?? -1e9, max: max ?? 1e9, minExcluded: minExclusive, maxExcluded: maxExclusive, noNaN: true, noDefaultInfinity: true });
}

/** An arbitrary of values a client could send for the schema (aimed at valid ones). */
export function arbitraryFor(schema: z.ZodType | AnySchema, options: Partial<GenerateOptions> = {}): Arb {
  return build(schema as AnySchema, { ...DEFAULTS, ...options }, 0);
}

function build(schema: AnySchema, opts: GenerateOptions, depth: number): Arb {
  const def = defOf(schema);
  const deep = depth >= opts.maxDepth;
  const next = (inner: unknown) => build(inner as AnySchema, opts, depth + 1);
  switch (def.type) {
    case 'string':
      return stringArb(schema, opts);
    case 'number':
      return numberArb(schema);
    case 'int':
      return fc.integer({ min: -1_000_000, max: 1_000_000 });
    case 'boolean':
      return fc.boolean();
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n });
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'nan':
      return fc.constant(Number.NaN);
    case 'date':
      return isoDate();
    case 'any':
    case 'unknown':
      return deep ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
    case 'never':
      return junkValue();
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'optional':
      return deep ? fc.constant(undefined) : fc.option(next(def.innerType), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(next(def.innerType), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
      return fc.option(next(def.innerType), { nil: undefined, freq: 3 });
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return next(def.innerType);
    case 'lazy':
      return deep ? fc.constant(null) : next((def.getter as () => AnySchema)());
    case 'pipe': {
      // A preprocess is a transform feeding a schema: send what the schema after it wants.
      const input = def.in as AnySchema;
      return defOf(input).type === 'transform' ? next(def.out) : next(input);
    }
    case 'transform':
    case 'custom':
      return junkValue();
    case 'array': {
      let min = 0;
      let max = opts.maxItems;
      for (const check of checksOf(schema)) {
        if (check.check === 'min_length') min = check.minimum as number;
        if (check.check === 'max_length') max = Math.min(max, check.maximum as number);
        if (check.check === 'length_equals') min = max = check.length as number;
      }
      return fc.array(next(def.element), { minLength: min, maxLength: deep ? min : Math.max(min, max) });
    }
    case 'tuple': {
      const items = (def.items as AnySchema[]).map(next);
      const rest = def.rest ? fc.array(next(def.rest), { maxLength: deep ? 0 : 2 }) : fc.constant([]);
      return fc.tuple(fc.tuple(...items), rest).map(([head, tail]) => [...head, ...tail]);
    }
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      const model: Record<string, Arb> = {};
      const required: string[] = [];
      for (const [key, field] of Object.entries(shape)) {
        model[key] = opts.keys[key] ?? next(field);
        if (!isOptionalIn(field)) required.push(key);
      }
      return fc.record(model, { requiredKeys: required }).map(dropUndefined);
    }
    case 'record': {
      const keyDef = defOf(def.keyType as AnySchema);
      const value = next(def.valueType);
      if (keyDef.type === 'enum' || keyDef.type === 'literal') {
        const keys = keyDef.type === 'enum' ? Object.values(keyDef.entries as Record<string, string>) : (keyDef.values as string[]);
        return fc.record(Object.fromEntries(keys.map((k) => [k, value])));
      }
      const dictionary = fc.dictionary(build(def.keyType as AnySchema, opts, depth + 1) as fc.Arbitrary<string>, value, { maxKeys: deep ? 0 : opts.maxItems });
      // A refined record is usually a tagged blob (a WebRTC signal): offer one with a type.
      if (!hasCustomCheck(schema)) return dictionary;
      return fc.oneof(dictionary, fc.record({ type: fc.constantFrom('offer', 'answer', 'candidate'), sdp: fc.string({ maxLength: 200 }) }));
    }
    case 'union':
      return fc.oneof(...(def.options as AnySchema[]).map(next));
    case 'intersection':
      return fc.tuple(next(def.left), next(def.right)).map(([a, b]) => (isPlainObject(a) && isPlainObject(b) ? { ...a, ...b } : b));
    case 'template_literal':
      return fc.string({ maxLength: opts.maxString });
    default:
      return junkValue();
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out;
}

// ---------------------------------------------------------------- mutations

export type Mutation = 'replace-field' | 'drop-field' | 'extra-field' | 'huge-string' | 'odd-string' | 'wrong-root' | 'prototype-key' | 'null-field';
export const MUTATIONS: readonly Mutation[] = ['replace-field', 'drop-field', 'extra-field', 'huge-string', 'odd-string', 'wrong-root', 'prototype-key', 'null-field'];

/** Every path to a value inside a JSON-like value (the root is []). */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], update: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  if (path.length === 0) return root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  update(parent, path[path.length - 1]!);
  return copy;
}

/** Applies one mutation at the picked place of a (usually valid) value. */
export function mutateValue(value: unknown, mutation: Mutation, pick: number, junk: unknown, odd: string): unknown {
  const paths = pathsOf(value);
  const inner = paths.filter((p) => p.length > 0);
  const containers = paths.filter((p) => {
    const at = p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
    return isPlainObject(at);
  });
  const at = <T>(list: T[]): T | undefined => (list.length ? list[pick % list.length] : undefined);
  switch (mutation) {
    case 'wrong-root':
      return junk;
    case 'replace-field': {
      const path = at(inner);
      return path ? setAt(value, path, (p, k) => (p[k] = junk)) : junk;
    }
    case 'null-field': {
      const path = at(inner);
      return path ? setAt(value, path, (p, k) => (p[k] = null)) : null;
    }
    case 'drop-field': {
      const path = at(inner.filter((p) => typeof p[p.length - 1] === 'string'));
      return path ? setAt(value, path, (p, k) => delete p[k]) : undefined;
    }
    case 'huge-string':
    case 'odd-string': {
      const text = mutation === 'huge-string' ? odd.repeat(Math.ceil(70_000 / Math.max(1, odd.length))).slice(0, 70_000) || 'x'.repeat(70_000) : odd;
      const strings = inner.filter((p) => typeof p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value) === 'string');
      const path = at(strings);
      return path ? setAt(value, path, (p, k) => (p[k] = text)) : text;
    }
    case 'extra-field':
    case 'prototype-key': {
      const key = mutation === 'prototype-key' ? (['__proto__', 'constructor', 'prototype'] as const)[pick % 3]! : `x_${odd.slice(0, 20)}`;
      const path = at(containers);
      if (!path) return { [key]: junk };
      if (path.length === 0) return { ...(value as object), [key]: junk };
      return setAt(value, path, (p, k) => ((p[k] as Record<string, unknown>)[key] = junk));
    }
  }
}

/** Values built by mutating what arbitraryFor gives: wrong types, missing and extra fields, huge and odd strings. */
export function mutatedFor(schema: z.ZodType | AnySchema, options: Partial<GenerateOptions> = {}): Arb {
  return fc
    .tuple(arbitraryFor(schema, options), fc.constantFrom(...MUTATIONS), fc.nat(), junkValue(), oddString(24))
    .map(([value, mutation, pick, junk, odd]) => mutateValue(value, mutation, pick, junk, odd));
}

/** Seed for the fuzz runs: fixed unless VEILDESK_FUZZ_SEED is set, so a failure can be replayed. */
export function fuzzSeed(): number {
  const raw = process.env.VEILDESK_FUZZ_SEED;
  if (raw === undefined || raw === '') return 0x5eed17;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`VEILDESK_FUZZ_SEED must be an integer, not ${raw}`);
  return seed;
}

/** Draws n values from an arbitrary, reproducibly for the seed (fc.sample with the seed). */
export function draw<T>(arb: fc.Arbitrary<T>, n: number, seed: number): T[] {
  return fc.sample(arb, { numRuns: n, seed });
}
