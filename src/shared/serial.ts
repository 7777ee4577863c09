/**
 * A queue that runs async work one piece at a time, in order: storage read-modify-writes in one context
 * cannot then interleave and lose each other's updates. A failed piece does not stop the ones after it.
 */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}
