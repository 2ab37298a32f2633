// ESLint: typescript-eslint + Nx module boundaries holding the direction of imports
// (data <- features <- models <- governor/validation <- pipeline <- apps) and keeping workflow code pure.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const lower = {
  'scope:data': [],
  'scope:features': ['scope:data'],
  'scope:models': ['scope:features', 'scope:data'],
  'scope:governor': ['scope:models', 'scope:features', 'scope:data'],
  'scope:validation': ['scope:models', 'scope:features', 'scope:data'],
  'scope:pipeline': ['scope:governor', 'scope:validation', 'scope:models', 'scope:features', 'scope:data'],
  'scope:worker': ['scope:pipeline', 'scope:governor', 'scope:validation', 'scope:models', 'scope:features', 'scope:data'],
  'scope:scheduler': ['scope:pipeline', 'scope:governor', 'scope:validation', 'scope:models', 'scope:features', 'scope:data'],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            ...Object.entries(lower).map(([sourceTag, deps]) => ({ sourceTag, onlyDependOnLibsWithTags: [sourceTag, ...deps] })),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: types only from the rest of the system.
    files: ['libs/pipeline/src/workflows/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@ares/*', '../activities/*', '@duckdb/*', 'koffi', '@aws-sdk/*', '@tensorflow/*', 'node:*', 'fs', 'path', 'child_process', 'net', 'http', 'os'], allowTypeImports: true, message: 'workflow code may import only types from here (Temporal sandbox determinism)' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
