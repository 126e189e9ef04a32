// Lint: typescript-eslint's recommended rules plus the layering of docs/architecture.md, written as
// import bans so a wrong-way import fails CI rather than waiting for review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Matches a relative import that climbs into one of the named layers ("../../store/x.ts",
// "../../shared/store/x.ts"). Imports are relative: the package has no import map to slip past this.
const banLayers = (message, ...names) => ({
  patterns: [{ regex: `^(\\.\\./)+(shared/)?(${names.join('|')})(/|$)`, message }],
});

// `import { z } from 'zod'` keeps every locale in a Lambda bundle (about 350 KB); the namespace import does not.
const leanZod = {
  selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[importKind!='type'][imported.name='z']",
  message: "Import zod as a namespace (import * as z from 'zod'): the named import bundles every locale.",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.stint/**', 'coverage/**', 'web/portal/vendor/**', 'web/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The portal: React's rules of hooks, and browser globals instead of Node's.
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      'no-restricted-syntax': ['error', leanZod],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        banLayers(
          'The domain is pure: it imports no contracts, store, services, HTTP, auth, workflow or observability code.',
          'contracts',
          'store',
          'services',
          'http',
          'auth',
          'workflow',
          'observability',
        ),
      ],
    },
  },
  {
    files: ['shared/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        banLayers('The store sits below the services: it imports no services, HTTP, auth or workflow code.', 'services', 'http', 'auth', 'workflow'),
      ],
    },
  },
  {
    files: ['shared/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', banLayers('Contracts describe the wire: they import no store or services.', 'store', 'services')],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', banLayers('Handlers call services; only services reach the store.', 'store')],
    },
  },
  {
    // Key strings (PK/SK prefixes such as "USER#") are built in one place so a layout change is one edit.
    files: ['shared/**/*.ts', 'functions/**/*.ts', 'infra/**/*.ts'],
    ignores: ['shared/store/keys.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        leanZod,
        { selector: 'Literal[value=/^[A-Z][A-Z_]+#/]', message: 'Build key strings in shared/store/keys.ts.' },
        { selector: 'TemplateElement[value.raw=/^[A-Z][A-Z_]+#/]', message: 'Build key strings in shared/store/keys.ts.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', fetch: 'readonly', URL: 'readonly' } },
  },
);
