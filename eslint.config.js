// Type-aware lint: the rules that catch real bugs in async server code (floating promises,
// misused promises, unsafe any) on top of the recommended sets.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'ui/dist/', 'node_modules/', 'data/', '.test-tmp/', 'bin/', '.bench-cache/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
      // Fastify plugins and interface methods are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**', 'src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests read API answers as untyped JSON; asserting on them is the point, typing them twice
    // is not.
    files: ['**/*.test.ts', 'test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The service worker is plain JS served as is; its types (the WebWorker library) come from a
    // tsconfig of its own, outside public/.
    files: ['ui/public/sw.js'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['./ui/sw.tsconfig.json'] },
    },
  },
);
