// Flat config: typescript-eslint's recommended rules, plus the boundaries the architecture
// depends on: nothing under src/core may import 'vscode', so the core stays testable in plain
// Node; and every surface that shows text has one sink, so nothing else calls the raw API that
// would show a string (issue 29: outside text is a type, one sink per surface).
import tseslint from 'typescript-eslint';

/**
 * The raw calls that show text, each allowed only in its sink. The type does the rest: a sink
 * takes a Text, never a string (src/core/outside-text.ts).
 */
const SINK_ONLY = [
  {
    selector:
      'MemberExpression[property.name=/^(showInformationMessage|showWarningMessage|showErrorMessage|withProgress)$/]',
    message: 'Notifications and dialogs go through src/vscode/shared/messages.ts (a Text, never a string).',
  },
  {
    selector: 'MemberExpression[property.name=/^(showQuickPick|createQuickPick|createInputBox|showInputBox)$/]',
    message: 'Quick picks and input boxes go through src/vscode/shared/multi-step-input.ts.',
  },
  {
    selector:
      'NewExpression[callee.property.name=/^(TreeItem|CodeLens)$/], NewExpression[callee.name=/^(TreeItem|CodeLens)$/]',
    message: 'Tree rows and CodeLens titles go through src/vscode/shared/labels.ts.',
  },
  {
    selector: 'MemberExpression[property.name=/^(setStatusBarMessage|createStatusBarItem)$/]',
    message: 'The status bar goes through src/vscode/shared/labels.ts.',
  },
  {
    selector: 'NewExpression[callee.property.name="MarkdownString"], NewExpression[callee.name="MarkdownString"]',
    message: 'Markdown goes through src/vscode/shared/markdown-string.ts (Markdown built by md`…`).',
  },
  {
    selector: 'MemberExpression[property.name="createOutputChannel"]',
    message: 'The log goes through src/vscode/shared/log.ts.',
  },
  {
    selector: 'MemberExpression[object.name="console"]',
    message:
      'The command line prints through src/cli/terminal.ts; the extension logs through src/vscode/shared/log.ts.',
  },
  {
    selector:
      'MemberExpression[property.name="write"][object.type="MemberExpression"][object.object.name="process"][object.property.name=/^(stdout|stderr)$/]',
    message: 'The command line prints through src/cli/terminal.ts (a Text, never a string).',
  },
  {
    selector:
      'AssignmentExpression > MemberExpression.left[property.name=/^(label|description|detail|tooltip|prompt|placeholder|validationMessage)$/]',
    message: 'A shown string is written by its sink (labels.ts, multi-step-input.ts, messages.ts).',
  },
  {
    selector:
      'NewExpression[callee.property.name=/^(LanguageModelToolResult|LanguageModelTextPart)$/], NewExpression[callee.name=/^(LanguageModelToolResult|LanguageModelTextPart)$/]',
    message:
      "A language model's tool result goes through src/vscode/assistant/tool-result.ts (a Text, never a string).",
  },
  {
    selector: 'NewExpression[callee.property.name="Diagnostic"], NewExpression[callee.name="Diagnostic"]',
    message: 'A problem goes through src/vscode/shared/problems.ts (a Text, never a string).',
  },
  {
    selector: 'Property[key.name="structuredContent"]',
    message: "An MCP tool result is made by src/core/model-text.ts (modelToolResult: a Text and the tool's data).",
  },
];

/** The sink of each surface: where its raw calls are allowed. */
const SINKS = [
  'src/vscode/shared/messages.ts',
  'src/vscode/shared/labels.ts',
  'src/vscode/shared/markdown-string.ts',
  'src/vscode/shared/multi-step-input.ts',
  'src/vscode/shared/log.ts',
  'src/cli/terminal.ts',
  'src/vscode/assistant/tool-result.ts',
  'src/vscode/shared/problems.ts',
  'src/core/model-text.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: SINKS,
    rules: { 'no-restricted-syntax': ['error', ...SINK_ONLY] },
  },
  {
    // The renderers of a surface are its sink's: a record of what a dialog showed asks the sink
    // (messageAsShown, labelAsShown), which redacts with every secret the extension knows.
    files: ['src/vscode/**/*.ts'],
    ignores: SINKS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/message-text', '**/core/label-text'],
              message: 'Render through the sink of the surface (src/vscode/shared/messages.ts, labels.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // A Text in a plain template literal would be a string again (its toString throws, but only
    // when that line runs): the type checker sees every template's holes, so none can hold one.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowAny: true, allowNever: true },
      ],
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
