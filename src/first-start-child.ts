/**
 * The child process in which a first start on embedded PGlite makes its database (first-start.ts forks
 * it): the template unpacked, the migrations, the bank imported, all in the directory named by its
 * argument, then PGlite closed. It answers over IPC with what it did, or with the error.
 */
import { setFlagsFromString } from 'node:v8';
import { connect } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { BUILTIN_QUESTIONS_DIR } from './paths.js';
import { importBank } from './setup.js';
import type { FirstStartReply } from './first-start.js';

// Baseline WebAssembly code only, as on the bot's own PGlite thread (pglite-worker.ts): for a job of a
// few seconds the optimising compiler costs more CPU than it saves.
setFlagsFromString('--liftoff-only');

async function make(dataDir: string): Promise<FirstStartReply> {
  // PGlite in this thread: the process is its thread, and ends with the job.
  const connected = await connect({ dataDir, pgliteThread: 'main' });
  try {
    const { applied } = await migrateToLatest(connected.db);
    const bank = await importBank(connected, BUILTIN_QUESTIONS_DIR, new Date(), { skipUnchanged: true });
    return { type: 'made', applied, bank };
  } finally {
    await connected.close();
  }
}

// The start that forked this one ended (killed, or stopped while starting): its next start makes the
// database afresh in a directory of its own, so this one stops rather than work for nobody.
process.on('disconnect', () => process.exit(1));

const [dataDir] = process.argv.slice(2);
const reply: FirstStartReply = dataDir
  ? await make(dataDir).catch((error: unknown) => ({ type: 'failed' as const, message: error instanceof Error ? error.message : String(error) }))
  : { type: 'failed', message: 'no data directory given' };
process.send?.(reply, () => {
  process.removeAllListeners('disconnect');
  process.disconnect();
});
