// Long synchronous work of the store (a re-list of 20,000 pods, the first view model of 2,000
// Deployments) done in slices, yielding to the event loop between them, so that no single task
// of the extension host runs longer than about a slice (issue 11: the host is never blocked).

/** How long one slice may run (ms): well under the 50 ms of a long task, with room for what follows it. */
export const SLICE_MS = 8;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `step` (a job that works until `stop()` holds and returns true once it is done) in slices
 * of about `sliceMs`, yielding between them; stops early, returning false, once `alive()` does not hold.
 */
export async function inSlices(step: (stop: () => boolean) => boolean, alive: () => boolean = () => true, sliceMs = SLICE_MS): Promise<boolean> {
  for (;;) {
    if (!alive()) return false;
    const end = performance.now() + sliceMs;
    if (step(() => performance.now() >= end)) return true;
    await nextTurn();
  }
}
