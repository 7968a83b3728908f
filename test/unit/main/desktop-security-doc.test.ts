import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const repo = new URL('../../../', import.meta.url);
const doc = readFileSync(new URL('docs/desktop-security.md', repo), 'utf8');

/** Table rows that name a `file:line`, with the first code quoted in the cell before it ("How"). */
function references(): Array<{ row: string; file: string; line: number; code: string }> {
  const found: Array<{ row: string; file: string; line: number; code: string }> = [];
  for (const row of doc.split('\n').filter((line) => line.startsWith('|'))) {
    const cells = row.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const at = cells.findIndex((cell) => /^`[\w./-]+:\d+`$/.test(cell));
    if (at < 0) continue;
    const [, file = '', line = '0'] = /^`([\w./-]+):(\d+)`$/.exec(cells[at] ?? '') ?? [];
    const code = /`([^`]+)`/.exec(cells[at - 1] ?? '')?.[1];
    found.push({ row, file, line: Number(line), code: code ?? '' });
  }
  return found;
}

describe('docs/desktop-security.md', () => {
  it('names a file and line for every checklist item', () => {
    expect(references().length).toBeGreaterThanOrEqual(30);
  });

  it('each named line still holds the code the row quotes', () => {
    for (const ref of references()) {
      const lines = readFileSync(new URL(ref.file, repo), 'utf8').split('\n');
      expect(ref.code, ref.row).not.toBe('');
      expect(lines[ref.line - 1] ?? '', `${ref.file}:${ref.line} for ${ref.row}`).toContain(ref.code);
    }
  });

  it('is linked from the README', () => {
    expect(readFileSync(new URL('README.md', repo), 'utf8')).toContain('docs/desktop-security.md');
  });
});
