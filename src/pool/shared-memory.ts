/**
 * True where SharedArrayBuffer and Atomics work and a SharedArrayBuffer can be sent to
 * workers: Node, and cross-origin-isolated pages (COOP `same-origin` + COEP `require-corp`).
 * The split network and the data-parallel trainer fall back to their single-memory paths
 * elsewhere.
 */
export function sharedMemoryAvailable(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return (
    typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && isolated !== false
  );
}
