// The tools' descriptions and schemas are written once (src/core/assistant/tool-specs.ts): the MCP
// server lists them, and package.json, a static file, repeats them for VS Code. Here both are held
// equal, and every argument a schema names is one the argument checks know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assistantToolList } from '../../../src/core/assistant/tool-specs';
import { renderModelText } from '../../../src/core/model-text';
import {
  checkCheckArguments,
  checkExplainArguments,
  checkInspectArguments,
} from '../../../src/core/assistant/arguments';

interface ManifestTool {
  name: string;
  displayName: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  modelDescription: string;
  userDescription?: string;
  inputSchema: unknown;
  tags?: string[];
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: { languageModelTools?: ManifestTool[] };
  capabilities: { untrustedWorkspaces: { supported: string | boolean } };
};
const strings = JSON.parse(readFileSync('package.nls.json', 'utf8')) as Record<string, string>;

test("package.json's languageModelTools are the core's tool specs, in order", () => {
  const declared = manifest.contributes.languageModelTools ?? [];
  assert.deepEqual(
    declared.map((tool) => tool.name),
    assistantToolList().map((spec) => spec.name),
  );
  for (const spec of assistantToolList()) {
    const tool = declared.find((entry) => entry.name === spec.name);
    assert.ok(tool);
    assert.equal(tool.modelDescription, spec.description, `${spec.name}: modelDescription`);
    assert.deepEqual(tool.inputSchema, spec.inputSchema, `${spec.name}: inputSchema`);
    assert.equal(tool.toolReferenceName, spec.referenceName, `${spec.name}: toolReferenceName`);
    assert.equal(tool.canBeReferencedInPrompt, true, `${spec.name}: # in chat`);
    // VS Code's own rules for a tool (1.100's extension point refuses the tool otherwise).
    assert.match(tool.name, /^(?!copilot_|vscode_)[\w-]+$/);
    assert.match(tool.toolReferenceName ?? '', /^[\w-]+$/);
    for (const key of [tool.displayName, tool.userDescription ?? '']) {
      const nls = /^%(.+)%$/.exec(key)?.[1];
      assert.ok(nls !== undefined && strings[nls], `${spec.name}: ${key} is in package.nls.json`);
    }
    assert.match(spec.description, /never replaces or revokes/);
    assert.ok(spec.description.length < 2000, `${spec.name}: a description a model reads whole`);
    assert.ok(tool.tags?.includes('sectigo'));
  }
});

test('the tools work in an untrusted workspace: the extension declares limited support, not none', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
});

test("each schema's properties are exactly the arguments accepted, and nothing else is", () => {
  const checks = {
    sectigo_inspect_csr: checkInspectArguments,
    sectigo_check_csrs: checkCheckArguments,
    sectigo_explain_finding: checkExplainArguments,
  };
  for (const spec of assistantToolList()) {
    const check = checks[spec.name as keyof typeof checks];
    const properties = Object.keys(spec.inputSchema.properties as Record<string, unknown>);
    const unknown = check({ surprise: 1 });
    assert.equal(unknown.ok, false);
    assert.ok(
      !unknown.ok && renderModelText(unknown.problem).includes(`the arguments are ${properties.join(', ')}`),
      spec.name,
    );
  }
});
