import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/', 'artifacts/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The extension talks to the browser through src/shared/browser.ts only (one place for the polyfill).
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/shared/browser.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'webextension-polyfill', message: 'Import from src/shared/browser.ts.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
