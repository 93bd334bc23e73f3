import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** Libraries the pure core must never import: it runs unchanged in main, renderer, CLI and workers. */
const NOT_IN_CORE = [
  'electron',
  'tone',
  'vexflow',
  'vexflow/*',
  '@tensorflow/*',
  '@magenta/*',
  '@julusian/midi',
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
];

export default ts.config(
  { ignores: ['node_modules', 'out', 'dist', 'dist-web', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src-core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: NOT_IN_CORE.map((group) => ({
            group: [group],
            message: 'src-core stays pure: no I/O, no platform libraries.',
          })),
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'node:*', '@julusian/midi'],
              message: 'The renderer reaches the system only through the host API.',
            },
          ],
        },
      ],
    },
  },
);
