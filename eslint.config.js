import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.dojo/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Core code must stay platform-free: the architecture rule of DESIGN.md, checked rather than hoped.
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      // The core reaches the database only through repositories (src/db/repos, with the domain types of
      // src/db/repos/types.ts) and the unit-of-work helper: no query builder, driver or table rows here.
      'no-restricted-imports': ['error', { patterns: ['@slack/*', 'discord.js', 'pg', 'pg/*', 'kysely', 'kysely/*', '@electric-sql/*', '**/db/schema/**', '**/adapters/**'] }],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': ['error', { patterns: ['../src/*', '../adapters/*'] }],
    },
  },
);
