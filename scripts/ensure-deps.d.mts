// Types for scripts/ensure-deps.mjs (plain JavaScript, as it runs before any dependency is installed).
export declare const STAMP_NAME: string;
export type DependencyState = 'current' | 'adoptable' | 'missing' | 'stale';
export declare function lockDigest(root: string): string;
export declare function dependencyState(root: string): DependencyState;
export declare function ensureDependencies(
  root: string,
  options: { install: (root: string) => number; log: (message: string) => void },
): 'current' | 'adopted' | 'installed' | 'skipped';
