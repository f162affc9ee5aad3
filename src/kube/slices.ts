// Long synchronous work of the store (a re-list of 20,000 pods, the first view model of 2,000
// Deployments) done in slices, yielding to the event loop between them, so that no single task
// of the extension host runs longer than about a slice (issue 11: the host is never blocked).
// The jobs share one queue: Node runs every callback queued by setImmediate in one go, so ten jobs
// yielding each with its own setImmediate (ten re-lists of All namespaces' cluster-wide watches)
// would run ten slices back to back, one task of 80 ms. Here one slice of a waiting job runs per
// turn of the event loop, the jobs taking turns.

/** How long one slice may run (ms): well under the 50 ms of a long task, with room for what follows it. */
export const SLICE_MS = 8;

interface Job {
  step: (stop: () => boolean) => boolean;
  alive: () => boolean;
  sliceMs: number;
  resolve: (finished: boolean) => void;
  reject: (error: unknown) => void;
}

/** Jobs waiting for a slice, in turn. */
const waiting: Job[] = [];
/** A slice has run since the queue's last turn: a new job waits for the next turn too. */
let turnTaken = false;
let turnScheduled = false;

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(takeTurn);
}

/** One slice of the first waiting job that is still wanted. */
function takeTurn(): void {
  turnScheduled = false;
  turnTaken = false;
  for (let job = waiting.shift(); job; job = waiting.shift()) {
    if (!job.alive()) {
      job.resolve(false);
      continue;
    }
    runSlice(job);
    break;
  }
  // After a slice, one more turn even with nothing waiting: it clears `turnTaken`, so that the next job starts at once.
  if (waiting.length || turnTaken) scheduleTurn();
}

/** One slice of `job`: done, failed (its caller gets the error), or back in the queue. */
function runSlice(job: Job): void {
  turnTaken = true;
  const end = performance.now() + job.sliceMs;
  let finished: boolean;
  try {
    finished = job.step(() => performance.now() >= end);
  } catch (e) {
    job.reject(e);
    return;
  }
  if (finished) job.resolve(true);
  else {
    waiting.push(job);
    scheduleTurn();
  }
}

/**
 * Runs `step` (a job that works until `stop()` holds and returns true once it is done) in slices
 * of about `sliceMs`, one slice of one job per turn of the event loop (the first at once when no
 * other slice ran this turn); resolves false, stopping early, once `alive()` does not hold.
 */
export function inSlices(step: (stop: () => boolean) => boolean, alive: () => boolean = () => true, sliceMs = SLICE_MS): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    if (!alive()) return resolve(false);
    const job: Job = { step, alive, sliceMs, resolve, reject };
    if (turnTaken || waiting.length) waiting.push(job);
    else runSlice(job);
    // Whatever ran this turn, the next slice waits for the next turn.
    scheduleTurn();
  });
}
