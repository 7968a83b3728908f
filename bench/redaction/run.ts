import os from 'node:os';
import { DEFAULT_REDACTION_POLICY, createRedactor } from '../../shared/redaction';
import { cliOptions } from '../lib/cli';
import { fmt, percentile } from '../lib/stats';

/**
 * `npm run bench:redaction`: what redaction costs per chat message, against a baseline measured in
 * the same run on the same texts (one pass of a simple regular expression over the message, the
 * least any scan of it costs).
 * - Typical: 4,000-character messages of prose with card numbers, codes, expiries, IBANs, SSNs,
 *   phone and order numbers sprinkled in: p50/p99 per message (target p99 < 0.2 ms).
 * - Adversarial: inputs built to make a backtracking matcher or a quadratic scan slow (long digit
 *   runs, one digit per separator, keywords and values repeated, bracket look-alikes): the slowest
 *   message of each (target < 5 ms).
 * Options: --messages N (default 20000), --rounds N (adversarial repeats, default 50).
 */
const arg = cliOptions();
const messages = Number(arg('messages', '20000'));
const rounds = Number(arg('rounds', '50'));

const LENGTH = 4000;
const rnd = (() => {
  let s = 12345;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
})();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(rnd() * 10))).join('');

const WORDS = 'the a my card payment please thanks order account refund number is was and for with this that call back delivery'.split(' ');
const SPICE = [
  () => '4242 4242 4242 4242',
  () => '5555-5555-5555-4444',
  () => 'cvv 123',
  () => 'exp 12/27',
  () => 'DE89 3704 0044 0532 0130 00',
  () => 'ssn 123-45-6789',
  () => `order ${digits(10)}`,
  () => `+44 20 ${digits(4)} ${digits(4)}`,
  () => `${digits(2)}/${digits(2)}`,
];

function typicalMessage(): string {
  let text = '';
  while (text.length < LENGTH) text += (rnd() < 0.05 ? pick(SPICE)() : pick(WORDS)) + (rnd() < 0.1 ? '. ' : ' ');
  return text.slice(0, LENGTH);
}

const fill = (unit: string): string => unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH);
const ADVERSARIAL: Record<string, string> = {
  'digits only': fill('4'),
  'one digit per space': fill('4 '),
  'one digit per dash-dot': fill('4-.'),
  'digit pairs, double spaces': fill('42  '),
  'cvv and values repeated': fill('cvv 123 '),
  'expiry values repeated': fill('12/25 '),
  'expiry keyword and value glued': fill('exp1/2'),
  'IBAN prefixes repeated': fill('DE89 '),
  'IBAN country and digits glued': fill('DE8937'),
  'SSN shapes repeated': fill('123-45-'),
  'bracket look-alikes': fill('[card •••• 42'),
  'letters only': fill('a'),
  'e-mail look-alikes': fill('a.a@'),
  'mixed keywords': fill('security code exp ssn '),
};

const baselineRe = /\d+/g;
function baseline(text: string): number {
  let n = 0;
  baselineRe.lastIndex = 0;
  while (baselineRe.exec(text)) n += 1;
  return n;
}

function timeEach(texts: readonly string[], fn: (t: string) => unknown): number[] {
  const times: number[] = [];
  for (const t of texts) {
    const start = process.hrtime.bigint();
    fn(t);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times;
}

const everything = createRedactor({ ...DEFAULT_REDACTION_POLICY, entities: { ...DEFAULT_REDACTION_POLICY.entities, email: true, phone: true } });
const defaults = createRedactor(DEFAULT_REDACTION_POLICY);
const texts = Array.from({ length: messages }, typicalMessage);
// Warm up the JIT on both, then measure alternately so that load affects both alike.
timeEach(texts.slice(0, 2000), (t) => defaults.redact(t));
timeEach(texts.slice(0, 2000), baseline);

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`bench:redaction  ${messages} messages of ${LENGTH} characters  node ${process.version}  load ${load}`);
const base = timeEach(texts, baseline);
const red = timeEach(texts, (t) => defaults.redact(t));
const all = timeEach(texts, (t) => everything.redact(t));
const row = (name: string, t: number[]): string =>
  `  ${name.padEnd(34)} p50 ${fmt(percentile(t, 50), 4)} ms  p99 ${fmt(percentile(t, 99), 4)} ms  max ${fmt(Math.max(...t), 3)} ms  ` +
  `(p99 ${fmt(percentile(t, 99) / percentile(base, 99), 1)}× the baseline)`;
console.log('typical messages');
console.log(row('baseline: one /\\d+/g pass', base));
console.log(row('redaction, default policy', red));
console.log(row('redaction, e-mail and phone on too', all));
const typicalP99 = percentile(red, 99);
console.log(`  target p99 < 0.2 ms (default policy): ${typicalP99 < 0.2 ? 'met' : 'NOT met'} (${fmt(typicalP99, 4)} ms)`);

console.log(`adversarial inputs (${LENGTH} characters each, slowest of ${rounds} runs, all entities on)`);
let worst = 0;
for (const [name, text] of Object.entries(ADVERSARIAL)) {
  const t = timeEach(Array.from({ length: rounds }, () => text), (x) => everything.redact(x));
  const b = timeEach(Array.from({ length: rounds }, () => text), baseline);
  worst = Math.max(worst, Math.max(...t));
  console.log(`  ${name.padEnd(34)} max ${fmt(Math.max(...t), 3)} ms  median ${fmt(percentile(t, 50), 3)} ms  (baseline median ${fmt(percentile(b, 50), 4)} ms)`);
}
console.log(`  target worst case < 5 ms: ${worst < 5 ? 'met' : 'NOT met'} (${fmt(worst, 3)} ms)`);
