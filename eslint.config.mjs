// Flat config: typescript-eslint's recommended rules, plus the one boundary the
// architecture depends on: nothing under src/core may import 'vscode', so the
// core stays testable in plain Node.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core and src/cli must stay free of vscode.' }],
          patterns: [
            {
              group: ['**/vscode/**', '../vscode/*', '../../vscode/*'],
              message: 'src/core and src/cli must not reach the VS Code adapters.',
            },
          ],
        },
      ],
    },
  },
);
