// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folder rules: shared/ is the contract and imports nothing from the process folders or runtimes. */
const processFolders = ['main', 'preload', 'renderer', 'server', 'widget', 'browser'];
/** browser/ is the code both browser apps share, so they (and only they) may import it. */
const mayImport = (self, f) => f === 'browser' && (self === 'renderer' || self === 'widget');
const crossProcess = (self) =>
  processFolders
    .filter((f) => f !== self && !mayImport(self, f))
    .flatMap((f) => [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`, `../../../../${f}/*`]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'data/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: crossProcess('shared'), message: 'shared/ must not import from process folders.' },
            { group: ['node:*', 'electron', 'react', 'react-dom', 'fs', 'path'], message: 'shared/ is runtime-neutral.' },
          ],
        },
      ],
    },
  },
  ...processFolders.map((folder) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: crossProcess(folder), message: `${folder}/ talks to other processes through shared/ contracts only.` }] },
      ],
    },
  })),
);
