// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersRule } from './eslint/rules/layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'data/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Folder layers for every file of the repository: one table in eslint/layers.js, checked by a
    // local rule that resolves each import against the importing file (any depth of ../).
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { veildesk: { rules: { layers: layersRule } } },
    rules: { 'veildesk/layers': 'error' },
  },
);
