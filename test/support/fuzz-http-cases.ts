import fc from 'fast-check';
import type { z } from 'zod';
import { type Endpoint, isNotJson } from '../../shared/api/endpoints';
import { arbitraryFor, junkValue, mutatedFor, oddString, type GenerateOptions } from './zod-arbitrary';

/**
 * HTTP requests generated from a route's schemas (endpoints.ts): path parameters, query and body,
 * either all schema-valid or with one part mutated. Each case says whether the route's own schemas
 * accept it, so the runner knows what the server must refuse.
 */
export interface HttpCase {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** True when every part passes the route's schemas (bytes bodies count as valid when bytes). */
  valid: boolean;
  /** Which part was mutated ('none' for a valid case). */
  mutated: 'none' | 'params' | 'query' | 'body' | 'raw-path' | 'content-type';
}

type Part = 'params' | 'query' | 'body';

const schemaOf = (endpoint: Endpoint, part: Part): z.ZodType | undefined => {
  const value = endpoint[part];
  return value && !isNotJson(value) ? value : undefined;
};

const accepts = (schema: z.ZodType | undefined, value: unknown): boolean => schema === undefined || schema.safeParse(value).success;

/** Path parameter names in order, e.g. ['recordingId', 'segment', 'seq']. */
const paramNames = (path: string): string[] => [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);

/** Escapes for a URL; an unpaired surrogate (which UTF-8 cannot carry) becomes U+FFFD as a browser would send it. */
const encode = (text: string): string => encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

function fillPath(path: string, params: Record<string, unknown>, escape: boolean): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    return escape ? encode(text) : text;
  });
}

function queryString(query: unknown): string {
  if (query === undefined) return '';
  if (typeof query !== 'object' || query === null) return `?${encode(String(query))}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Query strings that are not well-formed: bad escapes, repeated and bracketed keys, empty keys. */
const rawQueries = fc.constantFrom('?%', '?a=%zz', '?limit[]=1&limit=2', '?=&=&', '?&&&', '?__proto__[x]=1', '?limit=1&limit=2&limit=3', `?q=${'%41'.repeat(3000)}`);

/** Path values sent as-is (not escaped): traversal, stray percent signs, encoded slashes. */
const rawParams = fc.constantFrom('..', '%', '%2e%2e', '..%2f..%2f', '%00', 'a%2Fb', '%E0%A4%A', '%C0%AF', ' ', 'a b', '\u00e9', '%u0041');

function queryFor(endpoint: Endpoint, opts: Partial<GenerateOptions>): fc.Arbitrary<unknown> {
  const schema = schemaOf(endpoint, 'query');
  return schema ? arbitraryFor(schema, opts) : fc.constant(undefined);
}

export interface CaseOptions extends Partial<GenerateOptions> {
  /** Ids of things that exist (interactions, users): path parameters use them some of the time, so routes get past "not found". */
  knownIds?: readonly string[];
}

function paramsFor(endpoint: Endpoint, opts: CaseOptions): fc.Arbitrary<Record<string, unknown>> {
  const schema = schemaOf(endpoint, 'params');
  const names = paramNames(endpoint.route.path);
  const generated = schema ? (arbitraryFor(schema, opts) as fc.Arbitrary<Record<string, unknown>>) : fc.record(Object.fromEntries(names.map((n) => [n, fc.string({ minLength: 1, maxLength: 30 })])));
  if (!opts.knownIds?.length || names.length === 0) return generated;
  const known = fc.record(Object.fromEntries(names.map((n) => [n, fc.constantFrom(...opts.knownIds!)]))) as fc.Arbitrary<Record<string, unknown>>;
  return fc.oneof({ weight: 3, arbitrary: generated }, { weight: 1, arbitrary: known });
}

const bytes = fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((a) => Buffer.from(a));

function bodyFor(endpoint: Endpoint, opts: Partial<GenerateOptions>): fc.Arbitrary<unknown> {
  const schema = schemaOf(endpoint, 'body');
  if (schema) return arbitraryFor(schema, opts);
  if (isNotJson(endpoint.body)) return bytes;
  return fc.constant(undefined);
}

function request(endpoint: Endpoint, params: Record<string, unknown>, query: unknown, body: unknown, escape = true): Omit<HttpCase, 'valid' | 'mutated'> {
  const headers: Record<string, string> = {};
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(body)) {
    headers['content-type'] = 'audio/webm';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return { method: endpoint.route.method, url: fillPath(endpoint.route.path, params, escape) + queryString(query), headers, ...(payload !== undefined ? { payload } : {}) };
}

/**
 * What the route's schemas say about a request as the server will see it: path parameters
 * decoded, the query parsed (repeated keys become arrays), a JSON body parsed. Parts the route
 * declares no schema for are ignored by it, so they do not make a request invalid.
 */
export function classify(endpoint: Endpoint, c: Omit<HttpCase, 'valid' | 'mutated'>): boolean {
  const [pathname = '', search = ''] = splitUrl(c.url);
  const pattern = new RegExp(`^${endpoint.route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z]+)/g, '([^/]*)')}$`);
  const match = pattern.exec(pathname);
  if (!match) return false;
  const params: Record<string, string> = {};
  try {
    paramNames(endpoint.route.path).forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
  } catch {
    return false;
  }
  if (!accepts(schemaOf(endpoint, 'params'), params)) return false;
  let query: Record<string, unknown>;
  try {
    query = parseQuery(search);
  } catch {
    return false;
  }
  if (!accepts(schemaOf(endpoint, 'query'), query)) return false;
  const bodySchema = schemaOf(endpoint, 'body');
  const type = c.headers['content-type'];
  if (isNotJson(endpoint.body)) return Buffer.isBuffer(c.payload) && (type === 'audio/webm' || type === 'application/octet-stream');
  if (!bodySchema) return true;
  if (c.payload === undefined) return accepts(bodySchema, undefined);
  if (type !== 'application/json') return false;
  try {
    return accepts(bodySchema, JSON.parse(String(c.payload)));
  } catch {
    return false;
  }
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

/** The query as Fastify's parser gives it: strings, an array for a repeated key; a bad escape stays as written. */
function parseQuery(search: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!search) return out;
  for (const pair of search.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    const prior = out[key];
    out[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const finish =
  (endpoint: Endpoint, mutated: HttpCase['mutated']) =>
  (c: Omit<HttpCase, 'valid' | 'mutated'>): HttpCase => ({ ...c, valid: classify(endpoint, c), mutated });

/** Schema-valid requests (as far as the generator reaches; `valid` is what the schemas say). */
export function validCases(endpoint: Endpoint, opts: CaseOptions = {}): fc.Arbitrary<HttpCase> {
  return fc.tuple(paramsFor(endpoint, opts), queryFor(endpoint, opts), bodyFor(endpoint, opts)).map(([params, query, body]) => finish(endpoint, 'none')(request(endpoint, params, query, body)));
}

/**
 * Requests with one part broken: a mutated body, query or path parameter, a raw path, a body of
 * the wrong content type, or junk where the route takes none. `valid` stays the schemas' verdict.
 */
export function invalidCases(endpoint: Endpoint, opts: CaseOptions = {}): fc.Arbitrary<HttpCase> {
  const paramsSchema = schemaOf(endpoint, 'params');
  const querySchema = schemaOf(endpoint, 'query');
  const bodySchema = schemaOf(endpoint, 'body');
  const names = paramNames(endpoint.route.path);
  const takesBody = endpoint.route.method !== 'GET';
  const base = fc.tuple(paramsFor(endpoint, opts), queryFor(endpoint, opts), bodyFor(endpoint, opts));
  const variants: fc.Arbitrary<HttpCase>[] = [];

  // Query: mutated from the schema, junk keys where there is none, or malformed query strings.
  const badQuery = querySchema ? mutatedFor(querySchema, opts) : fc.dictionary(oddString(12), fc.oneof(oddString(), fc.integer()), { minKeys: 1, maxKeys: 3 });
  variants.push(
    fc.tuple(base, badQuery).map(([[params, , body], query]) => finish(endpoint, 'query')(request(endpoint, params, query, body))),
    fc.tuple(base, rawQueries).map(([[params, , body], raw]) => finish(endpoint, 'query')({ ...request(endpoint, params, undefined, body), url: fillPath(endpoint.route.path, params, true) + raw })),
  );

  if (names.length > 0) {
    const badParams = paramsSchema ? mutatedFor(paramsSchema, opts) : fc.constant({});
    const junkParams = fc.record(Object.fromEntries(names.map((n) => [n, fc.oneof(oddString(80), fc.integer(), fc.constant(''), fc.constant('x'.repeat(5000)))])));
    variants.push(
      fc.tuple(base, fc.oneof(badParams, junkParams)).map(([[params, query, body], bad]) => {
        const merged = { ...params, ...(typeof bad === 'object' && bad !== null ? bad : {}) };
        return finish(endpoint, 'params')(request(endpoint, merged, query, body));
      }),
      fc.tuple(base, rawParams, fc.nat()).map(([[params, query, body], raw, pick]) =>
        finish(endpoint, 'raw-path')(request(endpoint, { ...params, [names[pick % names.length]!]: raw }, query, body, false)),
      ),
    );
  }

  if (takesBody) {
    const badBody = bodySchema ? mutatedFor(bodySchema, opts) : junkValue();
    variants.push(
      fc.tuple(base, badBody).map(([[params, query], body]) => finish(endpoint, 'body')(request(endpoint, params, query, body))),
      fc
        .tuple(
          base,
          fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data', 'application/json', 'audio/webm'),
          fc.constantFrom('{"a":', '\u0000', '[1,2', 'null', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '"\\ud800"', ' '.repeat(10)),
        )
        .map(([[params, query], type, payload]) => finish(endpoint, 'content-type')({ ...request(endpoint, params, query, undefined), headers: { 'content-type': type }, payload })),
    );
  }
  return fc.oneof(...variants);
}
