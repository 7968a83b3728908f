// @ts-check
/**
 * Local ESLint rule `veildesk/layers`: every import (static, dynamic, re-export, require, import
 * type) is resolved against the importing file and checked against the folder table in
 * eslint/layers.js, so the rule holds at any depth of `../`.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED, FILE_EXCEPTIONS, FORBIDDEN_PATHS, PACKAGE_RULES, TOOLING_FILE, ZONE_PREFIXES } from '../layers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** @param {string} rel a path from the repository root, with forward slashes */
export function zoneOf(rel) {
  if (TOOLING_FILE.test(rel) && rel.includes('/')) return 'tooling';
  // `rel/` so that an import of a folder's index (`../../shared`) lands in that folder's zone.
  for (const [prefix, zone] of ZONE_PREFIXES) if (`${rel}/`.startsWith(prefix)) return zone;
  return TOOLING_FILE.test(rel) ? 'tooling' : null;
}

/** @param {string} specifier */
function packageName(specifier) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : /** @type {string} */ (parts[0]);
}

/**
 * @param {string} fromRel importing file
 * @param {string} specifier
 * @returns {string | null} why the import is forbidden, or null
 */
export function checkImport(fromRel, specifier) {
  const fromZone = zoneOf(fromRel);
  if (!fromZone) return null;
  if (specifier.startsWith('.')) {
    const targetRel = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), specifier));
    if (targetRel.startsWith('../')) return `imports ${specifier}, outside the repository.`;
    const toZone = zoneOf(targetRel);
    for (const ban of FORBIDDEN_PATHS) {
      if (!fromRel.startsWith(ban.from)) continue;
      if (ban.to.some((to) => `${targetRel}/`.startsWith(to))) return ban.message;
    }
    if (!toZone) return null;
    const allowed = /** @type {Record<string, string[]>} */ (ALLOWED)[fromZone] ?? [];
    if (allowed.includes(toZone)) return null;
    if (FILE_EXCEPTIONS.some((e) => e.file === fromRel && targetRel.startsWith(e.to))) return null;
    return `${fromZone} code may not import ${toZone} code (${targetRel}); ${fromZone} may import: ${allowed.join(', ')}.`;
  }
  const rule = PACKAGE_RULES[fromZone];
  if (!rule) return null;
  const name = packageName(specifier);
  if (rule.allowOnly) return rule.allowOnly.includes(name) ? null : `${specifier}: ${rule.message}`;
  if (rule.forbid?.includes(name)) return `${specifier}: ${rule.message}`;
  if (rule.forbidNodeBuiltins) {
    const isPolyfill = !specifier.startsWith('node:') && (rule.allowPolyfills ?? []).includes(name);
    if ((specifier.startsWith('node:') || BUILTINS.has(name)) && !isPolyfill) return `${specifier}: ${rule.message}`;
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Folder layers: which folder may import which (eslint/layers.js).' },
    schema: [],
    messages: { forbidden: 'Layer rule: {{reason}}' },
  },
  create(context) {
    const fromRel = path.relative(ROOT, context.filename).split(path.sep).join('/');
    if (fromRel.startsWith('..')) return {};
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const reason = checkImport(fromRel, source);
      if (reason) context.report({ node, messageId: 'forbidden', data: { reason } });
    };
    /** @param {any} node */
    const literalOf = (node) => (node && node.type === 'Literal' ? node.value : undefined);
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literalOf(node.source)),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, literalOf(node.arguments[0]));
      },
      /** @param {any} node `import('x').T` in a type */
      TSImportType: (node) => check(node, literalOf(node.source ?? node.argument?.literal)),
      /** @param {any} node `import x = require('x')` */
      TSExternalModuleReference: (node) => check(node, literalOf(node.expression)),
    };
  },
};
