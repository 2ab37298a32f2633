/**
 * Safety net for native handles: frees a handle whose owner was garbage-collected without
 * dispose(). Never the plan — owners free deterministically in dispose() and unregister.
 * Imports nothing, so the training worker threads can use it.
 */
export function leakedHandleRegistry<H>(free: (held: H) => void): FinalizationRegistry<H> {
  return new FinalizationRegistry<H>((held) => {
    try {
      free(held);
    } catch {
      // Nothing to report to at collection time.
    }
  });
}
