// One linter, zero warnings allowed (`eslint --max-warnings 0`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'build/',
      'coverage/',
      'src/kernels/wasm/build/',
      // AssemblyScript, not TypeScript (decorators on functions, its own types).
      'src/kernels/wasm/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The engine knows nothing of the page (STYLE.md, point 1): no Lit, no elements, no DOM.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['lit', 'lit/*', '@lit/*'], message: 'src/ is the engine: no Lit here.' },
            {
              group: ['**/components/**', '../components', '../../components'],
              message: 'src/ must not import components/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['document', 'window', 'HTMLElement', 'customElements', 'localStorage', 'navigator'].map(
          (name) => ({
            name,
            message: `src/ is the engine and runs in Node and workers: no ${name}.`,
          }),
        ),
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', 'scripts/**'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
