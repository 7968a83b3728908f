import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildImportGraph } from './import-graph';

/**
 * The widget loads on customers' pages: its bundle leaves zod out. Every file the widget reaches by
 * run-time imports (type-only imports left out) must not load zod at run time; the built bundle is
 * checked by grepping dist/widget for ZodError.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const RUNTIME_ZOD = /^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]zod['"]/m;

describe('the widget without zod', () => {
  it('no file the widget loads at run time imports zod (the HTTP client and route declarations included)', () => {
    const graph = buildImportGraph(ROOT, ['widget', 'browser', 'shared']);
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) visit(next);
    };
    for (const file of graph.keys()) if (file.startsWith('widget/')) visit(file);
    expect(reached).toContain('browser/net/http-client.ts');
    expect(reached).toContain('shared/api/routes.ts');
    const withZod = [...reached].filter((file) => RUNTIME_ZOD.test(fs.readFileSync(path.join(ROOT, file), 'utf8')));
    expect(withZod).toEqual([]);
  });
});
