// Entry point of the `dojo` command (bin/dojo.js runs it; `node dist/src/cli/main.js` after a build).
import { run } from './index.js';
import { processIo } from './io.js';

process.exitCode = await run(process.argv.slice(2), processIo());
