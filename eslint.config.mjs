import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.build-test-*/', '.data/', '.tools/', 'coverage/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core knows neither HTTP nor the database (docs/architecture.md 1.3).
    files: ['server/taxii/**/*.ts', 'server/stix/**/*.ts', 'server/policy/**/*.ts', 'server/services/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['express', 'mongodb', 'better-sqlite3', 'passport'], patterns: ['**/storage/mongo/**', '**/storage/sqlite/**', '**/http/**'] }],
    },
  },
  {
    files: ['server/http/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['mongodb', 'better-sqlite3'], patterns: ['**/storage/mongo/**', '**/storage/sqlite/**'] }] },
  },
  {
    // Each engine's driver stays inside its own folder of server/storage/.
    files: ['server/**/*.ts'],
    ignores: ['server/storage/mongo/**', 'server/storage/sqlite/**', 'server/taxii/**', 'server/stix/**', 'server/policy/**', 'server/services/**', 'server/http/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['mongodb', 'better-sqlite3'] }] },
  },
);
