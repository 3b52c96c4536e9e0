/**
 * A gemm worker thread (plain JavaScript, so that the same file runs from the
 * sources and from dist/): instantiates the kernel it is given on the shared
 * memory, says it is ready, then waits on its slot of the control block for
 * column ranges to compute.
 * Slot layout (int32): [state, ready, ap, bp, cp, mc, jr0, jr1, kc, ldc];
 * state 0 idle, 1 work posted, 2 done, 3 shut down.
 */
import { workerData } from "node:worker_threads";

const { module, memory, control, slot, slotSize } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const ctl = new Int32Array(control);
const base = slot * slotSize;

Atomics.store(ctl, base + 1, 1);
for (;;) {
  let state = Atomics.load(ctl, base);
  while (state !== 1) {
    if (state === 3) process.exit(0);
    Atomics.wait(ctl, base, state);
    state = Atomics.load(ctl, base);
  }
  gemm(
    ctl[base + 2],
    ctl[base + 3],
    ctl[base + 4],
    ctl[base + 5],
    ctl[base + 6],
    ctl[base + 7],
    ctl[base + 8],
    ctl[base + 9],
  );
  Atomics.store(ctl, base, 2);
  Atomics.notify(ctl, base);
}
