// The browser entry's build (package.json "browser"), for the web worker extension host of
// vscode.dev, github.dev and any web client: one bundle, 'vscode' external, CommonJS (how a web
// worker extension host loads an extension), no Node built-in. esbuild.mjs builds it beside the
// Node bundles; test/scripts/browser-bundle.test.ts builds it again to check what went in.
import { builtinModules } from 'node:module';

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * Any import of a Node built-in is an error: in a web worker `require('fs')` does not exist, and
 * a package's "browser" field could quietly swap one for an empty module.
 * @type {import('esbuild').Plugin}
 */
export const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: /.*/ }, ({ path, importer }) => {
      const bare = path.replace(/^node:/, '').split('/')[0] ?? path;
      if (!path.startsWith('node:') && !nodeBuiltins.has(path) && !nodeBuiltins.has(bare)) return undefined;
      return {
        errors: [{ text: `the browser build cannot use the Node built-in "${path}" (imported by ${importer})` }],
      };
    });
  },
};

/**
 * @param {{ production: boolean }} options
 * @returns {import('esbuild').BuildOptions}
 */
export function browserBuildOptions({ production }) {
  return {
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: production ? 'external' : 'inline',
    // The entry, and the lazy chunks src/vscode/browser/load-chunk.ts reads on first use (the key
    // generator with @peculiar/x509, more than half of the whole; the assistants' tools): each is
    // bundled on its own.
    entryPoints: {
      browser: 'src/vscode/browser/extension.ts',
      'browser-csr-new': 'src/vscode/browser/key-generator-chunk.ts',
      'browser-assistant-tools': 'src/vscode/browser/assistant-tools-chunk.ts',
    },
    outdir: 'dist',
    external: ['vscode'],
    plugins: [noNodeBuiltins],
  };
}
