import { describe, expect, it } from 'vitest';
import { createKeywordMatcher } from '../../../../server/modules/sensitive-keywords/matcher';
import { SensitiveKeywordRules } from '../../../../shared/api/sensitive-keywords';

const matcher = createKeywordMatcher([
  { category: 'health', keywords: ['prescription', 'Diagnosis', 'blood test'] },
  { category: 'religion', keywords: ['église', 'mosque'] },
]);

describe('sensitive keyword matcher', () => {
  it('matches whole words only, whatever the case', () => {
    expect(matcher.match('About my PRESCRIPTION, please')).toEqual(['health']);
    expect(matcher.match('the diagnosis.')).toEqual(['health']);
    expect(matcher.match('prescriptions and prediagnosis and mosques')).toEqual([]);
    expect(matcher.match('')).toEqual([]);
  });

  it('matches phrases word by word, across any spacing or punctuation, and only whole', () => {
    expect(matcher.match('I had a blood   test yesterday')).toEqual(['health']);
    expect(matcher.match('blood-test results')).toEqual(['health']);
    expect(matcher.match('blood tests')).toEqual([]);
    expect(matcher.match('blood')).toEqual([]);
  });

  it('handles letters of any script, with accents, as word characters', () => {
    expect(matcher.match("L'ÉGLISE du village")).toEqual(['religion']);
    expect(matcher.match('églises')).toEqual([]);
    expect(matcher.match('préscription')).toEqual([]);
  });

  it('names each category once, never the words', () => {
    expect(matcher.match('mosque, prescription, mosque, diagnosis').sort()).toEqual(['health', 'religion']);
  });

  it('takes time in proportion to the text, even for adversarial input', () => {
    // CPU time of this process, not wall time: on a busy machine (other test files, other work on the
    // two cores) a long run is preempted more often than a short one, and wall time once gave 114×
    // for a linear matcher. Each size keeps its fastest of five, taken in turns so both see the same
    // conditions (GC included). Ten times the text: linear is ~10×, quadratic ~100×.
    const small = 'blood '.repeat(20_000) + 'a'.repeat(100_000);
    const large = 'blood '.repeat(200_000) + 'a'.repeat(1_000_000);
    const timeOnce = (text: string) => {
      const start = process.cpuUsage();
      matcher.match(text);
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
    let bestSmall = Infinity;
    let bestLarge = Infinity;
    for (let i = 0; i < 5; i++) {
      bestSmall = Math.min(bestSmall, timeOnce(small));
      bestLarge = Math.min(bestLarge, timeOnce(large));
    }
    const ratio = bestLarge / Math.max(bestSmall, 0.5);
    expect(ratio).toBeLessThan(50);
    expect(matcher.match(large + ' blood test')).toEqual(['health']);
  });

  it('the rules schema refuses what the admin API must refuse', () => {
    const ok = (rules: unknown) => SensitiveKeywordRules.safeParse({ rules }).success;
    expect(ok([{ category: 'health', keywords: ['x'] }])).toBe(false);
    expect(ok([{ category: 'health', keywords: ['x'.repeat(61)] }])).toBe(false);
    expect(ok([{ category: 'health', keywords: ['--'] }])).toBe(false);
    expect(ok([{ category: 'weather', keywords: ['rain'] }])).toBe(false);
    expect(ok([{ category: 'health', keywords: Array.from({ length: 51 }, (_, i) => `word${i}`) }])).toBe(false);
    expect(ok(Array.from({ length: 51 }, () => ({ category: 'health', keywords: ['clinic'] })))).toBe(false);
    expect(ok([{ category: 'health', keywords: ['clinic', 'blood test'] }])).toBe(true);
  });
});
