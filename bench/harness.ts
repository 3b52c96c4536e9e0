/** A small timing harness: warm up, then the median of several timed batches. */

export interface Timing {
  /** Median time per call, in microseconds. */
  medianUs: number;
  /** Fastest batch, per call, in microseconds. */
  minUs: number;
}

export function time(fn: () => unknown, { batches = 15, minBatchMs = 40, warmup = 200, warmupMs = 300 } = {}): Timing {
  // Warm up for `warmup` calls and at least `warmupMs`: the engine optimises hot code only after many calls.
  const start = performance.now();
  for (let i = 0; i < warmup || performance.now() - start < warmupMs; i++) fn();
  // Calibrate: enough calls per batch to last minBatchMs.
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    if (performance.now() - t0 >= minBatchMs) break;
    calls *= 2;
  }
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    perCall.push(((performance.now() - t0) * 1000) / calls);
  }
  perCall.sort((a, b) => a - b);
  return { medianUs: perCall[Math.floor(perCall.length / 2)], minUs: perCall[0] };
}

export function fmtUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`;
}

/** Scales `time()` to the cost of one call: a few seconds at most per workload. */
export function timingSettings(oneCallUs: number): Parameters<typeof time>[1] {
  if (oneCallUs >= 100_000) return { batches: 5, minBatchMs: 0, warmup: 1, warmupMs: 0 }; // ≥ 0.1 s: 5 single calls
  if (oneCallUs >= 2_000) return { batches: 7, minBatchMs: 100, warmup: 3 };
  return { batches: 15, minBatchMs: 40, warmup: 200 }; // the defaults
}

/**
 * `time()` for asynchronous calls (GPU work read back with `await x.data()`): the same warm-up, calibration and
 * median, each call awaited before the next starts.
 */
export async function timeAsync(
  fn: () => Promise<unknown>,
  { batches = 15, minBatchMs = 40, warmup = 200, warmupMs = 300 } = {},
): Promise<Timing> {
  const start = performance.now();
  for (let i = 0; i < warmup || performance.now() - start < warmupMs; i++) await fn();
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    if (performance.now() - t0 >= minBatchMs) break;
    calls *= 2;
  }
  const perCall: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    perCall.push(((performance.now() - t0) * 1000) / calls);
  }
  perCall.sort((a, b) => a - b);
  return { medianUs: perCall[Math.floor(perCall.length / 2)], minUs: perCall[0] };
}
