/**
 * resvg's native module allocates with mimalloc, which by default gives freed pages back to the system
 * 10 ms later: every chart then faults its canvas and PNG buffers in afresh, and on this kind of
 * virtual machine those page faults were half the CPU of a chart (perf: memset in page faults). Kept
 * for a second, a burst of charts reuses the same pages; idle, they go back. Read when the module
 * loads, so this runs before it (render.ts imports this first); an operator's own setting wins.
 */
process.env.MIMALLOC_PURGE_DELAY ??= '1000';
