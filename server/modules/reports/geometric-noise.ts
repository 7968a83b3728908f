import { randomInt } from 'node:crypto';

/** Where noise comes from: a uniform whole number in [0, max). */
export interface RandomSource {
  randomInt(max: number): number;
}

/** The only source the server uses: the operating system's CSPRNG, never a non-cryptographic generator. */
export const cryptoSource: RandomSource = { randomInt: (max) => randomInt(max) };

/** Bernoulli(num/den), exactly: one uniform draw compared in integers. */
function bernoulli(src: RandomSource, num: number, den: number): boolean {
  return src.randomInt(den) < num;
}

/** Bernoulli(exp(-num/den)) for 0 ≤ num/den ≤ 1, exactly, in integer arithmetic (Canonne, Kamath, Steinke 2020, alg. 1). */
function bernoulliExpUpTo1(src: RandomSource, num: number, den: number): boolean {
  let k = 1;
  while (bernoulli(src, num, den * k)) k += 1;
  return k % 2 === 1;
}

/** Bernoulli(exp(-num/den)) for any num/den ≥ 0. */
function bernoulliExp(src: RandomSource, num: number, den: number): boolean {
  let rest = num;
  while (rest > den) {
    if (!bernoulliExpUpTo1(src, 1, 1)) return false;
    rest -= den;
  }
  return bernoulliExpUpTo1(src, rest, den);
}

/**
 * One draw of the two-sided geometric ("discrete Laplace") distribution, P(z) ∝ exp(-|z|·s/t), for
 * whole numbers s, t ≥ 1, sampled exactly with integer arithmetic and uniform draws only (Canonne,
 * Kamath, Steinke, "The Discrete Gaussian for Differential Privacy", 2020, alg. 2). No floating point
 * touches the noise, so the low bits of a published count cannot betray the true one (the attack on
 * floating-point Laplace samplers Mironov described, which his snapping mechanism answers): every
 * output is a whole number, the grid counts live on.
 */
export function discreteLaplace(src: RandomSource, s: number, t: number): number {
  for (;;) {
    const u = src.randomInt(t);
    if (!bernoulliExp(src, u, t)) continue;
    let v = 0;
    while (bernoulliExp(src, 1, 1)) v += 1;
    const y = Math.floor((u + t * v) / s);
    const negative = src.randomInt(2) === 1;
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
}

/** Epsilon is configured to the thousandth: ε = millis / 1000. */
export const epsilonMillis = (epsilon: number) => Math.round(epsilon * 1000);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The two-sided geometric mechanism for counts whose sum changes by at most `sensitivity` when one
 * interaction is added or removed: each count gets noise with P(z) ∝ exp(-ε·|z|/sensitivity), which
 * makes the set of counts ε-differentially private.
 */
export function geometricNoise(src: RandomSource, epsilon: number, sensitivity: number): () => number {
  const s0 = epsilonMillis(epsilon);
  const t0 = 1000 * sensitivity;
  const g = gcd(s0, t0);
  return () => discreteLaplace(src, s0 / g, t0 / g);
}
