// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', 'apps/*/src/migrations/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Libraries only through their index; apps never import each other.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/libs/*/src/**', '@app/contracts/*'], message: 'import libraries through @app/<lib> (their index.ts)' },
            { group: ['**/apps/*/src/**'], message: 'apps never import another app' },
          ],
          // Loaded only when the service serves its OpenAPI document (libs/platform/src/http/openapi.ts).
          paths: [{ name: '@nestjs/swagger', message: 'import the OpenAPI decorators from @app/platform (http/openapi.ts)' }],
        },
      ],
      // Configuration is read once, validated, in a config module.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'use the validated config (loadConfig)' }],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      'test/**/*.ts',
      '**/test/**/*.ts',
      '**/testing/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': 'off',
      'no-restricted-properties': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The console web: a browser app (no process.env), and every string a person reads goes through i18n keys.
    files: ['apps/console/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: 'JSXText[value=/[A-Za-z\\u4e00-\\u9fff]/]', message: "text in a component goes through i18n: t('key')" },
        {
          selector: 'JSXAttribute[name.name=/^(title|placeholder|aria-label|label|alt)$/] > Literal[value=/[A-Za-z\\u4e00-\\u9fff]/]',
          message: "text in a component goes through i18n: t('key')",
        },
      ],
    },
  },
  {
    files: ['libs/platform/src/config/load-config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The one place that loads @nestjs/swagger (or its shim), decided from SWAGGER and NODE_ENV as the process starts.
    files: ['libs/platform/src/http/openapi.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
