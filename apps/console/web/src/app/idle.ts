/**
 * Runs `run` once the browser is idle (at the latest `timeoutMs` later); answers the cancel, so an
 * effect can return it. For what the first screen does not need: the order drawer's chunk, the bell.
 */
export function whenIdle(run: () => void, timeoutMs: number): () => void {
  if (typeof window.requestIdleCallback !== 'function') {
    const id = window.setTimeout(run, timeoutMs);
    return () => window.clearTimeout(id);
  }
  const id = window.requestIdleCallback(run, { timeout: timeoutMs });
  return () => window.cancelIdleCallback(id);
}
