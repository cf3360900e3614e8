// Types of scripts/node-build.mjs, for the TypeScript that imports it (the bundle test).
import type { BuildOptions } from 'esbuild';

export declare function nodeBuildOptions(options: {
  production: boolean;
  version: string;
}): Promise<Array<BuildOptions & { entryPoints: Record<string, string> }>>;
