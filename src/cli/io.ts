/** Where a command writes, and what it reads from the environment: passed in so tests can capture it. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  stdin: NodeJS.ReadableStream;
  /** A person at a terminal (not a script on stdin). */
  interactive: boolean;
  color: boolean;
  /** Resolves on SIGINT or SIGTERM. */
  waitForSignal(): Promise<void>;
}

export function processIo(): Io {
  // `dojo questions list | head` closes the pipe early: that is the reader being done, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    interactive: process.stdin.isTTY === true,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    waitForSignal: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}
