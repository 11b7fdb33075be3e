// Entry point of the `dojo` command (bin/dojo.js runs it; `node dist/src/cli/main.js` after a build).
import { createLogger } from '../log.js';
import { run } from './index.js';
import { processIo } from './io.js';

// Whatever escapes every handler ends the process with one JSON line like the rest of the logs, so a
// platform restarts it and the operator's log search finds it.
const fatal = (kind: string) => (error: unknown) => {
  createLogger('fatal').fatal({ err: error }, kind);
  process.exit(1);
};
process.on('uncaughtException', fatal('uncaught exception'));
process.on('unhandledRejection', fatal('unhandled promise rejection'));

const code = await run(process.argv.slice(2), processIo());
process.exitCode = code;
// The command is done: a socket or timer some library keeps open must not hold the exit (Fly would
// wait for its kill timeout). The timer itself keeps nothing alive.
setTimeout(() => process.exit(code), 2_000).unref();
