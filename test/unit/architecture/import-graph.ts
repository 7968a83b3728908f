import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import graph of source folders, read with the TypeScript compiler's parser (no type check):
 * static imports and re-exports with a relative path. Dynamic `import()` calls are left out (lazy
 * by design). Type-only imports (`import type`, `export type`, every name `type`) are edges only with
 * `includeTypeOnly`: they vanish when compiled, so they cannot break load order, but they still tie
 * the files' designs together.
 */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|tsx)$/;

function listSources(root: string, folder: string): string[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .map((rel) => path.posix.join(folder, rel.split(path.sep).join('/')))
    .filter((rel) => SOURCE.test(rel) && !rel.endsWith('.d.ts') && !rel.includes('node_modules/'));
}

function resolveRelative(root: string, fromRel: string, specifier: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), specifier.replace(/\.js$/, '')));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (fs.existsSync(path.join(root, candidate))) return candidate;
  }
  return null;
}

function isTypeOnly(statement: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(statement)) {
    if (statement.isTypeOnly) return true;
    const clause = statement.exportClause;
    return !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = statement.importClause;
  if (!clause) return false; // side-effect import: `import './polyfills'`
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Runtime import edges between the files of the given folders (edges leaving them are dropped). */
export function buildImportGraph(root: string, folders: string[], options: { includeTypeOnly?: boolean } = {}): ImportGraph {
  const files = folders.flatMap((folder) => listSources(root, folder));
  const inGraph = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const targets = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      if (!options.includeTypeOnly && isTypeOnly(statement)) continue;
      const target = resolveRelative(root, file, specifier.text);
      if (target && inGraph.has(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the circles. */
export function findCycleGroups(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || (graph.get(node) ?? []).includes(node)) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** One concrete circle through the group's first file, for the failure message: a → b → … → a. */
export function exampleCycle(graph: ImportGraph, group: string[]): string[] {
  const members = new Set(group);
  const start = group[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start];
}
