import { fileURLToPath } from 'node:url';

/** The built-in bank ships with the package, wherever the command is run from. */
export const BUILTIN_QUESTIONS_DIR = fileURLToPath(new URL('../questions', import.meta.url));
