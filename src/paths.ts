import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// From the sources this file is src/paths.ts; compiled it is dist/src/paths.js or a chunk in
// dist/bundle: the bank (and dist/) sit at the package root, one or two levels up.
export function packageDir(name: string): string {
  const candidates = [`../${name}`, `../../${name}`].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

/** The built-in bank ships with the package, wherever the command is run from. */
export const BUILTIN_QUESTIONS_DIR = packageDir('questions');
