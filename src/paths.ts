import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// From the sources this file is src/paths.ts; compiled it is dist/src/paths.js: the bank sits at the
// package root either way, one or two levels up.
function packageDir(name: string): string {
  const candidates = [`../${name}`, `../../${name}`].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** The built-in bank ships with the package, wherever the command is run from. */
export const BUILTIN_QUESTIONS_DIR = packageDir('questions');
