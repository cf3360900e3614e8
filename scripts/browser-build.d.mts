// Types of scripts/browser-build.mjs, for the TypeScript that imports it (the bundle test, the bench).
import type { BuildOptions, Plugin } from 'esbuild';

export declare const noNodeBuiltins: Plugin;
export declare function browserBuildOptions(options: { production: boolean }): BuildOptions;
