/**
 * The database as the core sees it (issue 12): a handle the core passes to repositories and cannot
 * query itself, so SQL lives in src/db/repos only. The database and its open transactions are handles
 * as they are (nothing is wrapped at run time); a repository opens one with `executor()`.
 */
import type { Executor } from './index.js';

export type Handle = Pick<Executor, 'isTransaction'>;

/** For repositories: the queryable database or transaction behind a handle. */
export function executor(handle: Handle): Executor {
  return handle as Executor;
}
