/**
 * A kernel worker thread (plain JavaScript, so that the same file runs from the
 * sources and from dist/). It instantiates the gemm module it is given, and any
 * other kernel module the main thread sends on its port, all on the shared
 * memory; says it is ready; then waits on its slot of the control block.
 * Slot layout (int32): [state, ready, kernel, result, ...arguments];
 * state 0 idle, 1 work posted, 4 running, 2 done, 5 failed, 3 shut down; kernel -1 is the
 * gemm driver. The worker takes posted work by moving the state from 1 to 4;
 * the main thread may instead call off gemm work nobody took (1 back to 0).
 */
import { receiveMessageOnPort, workerData } from "node:worker_threads";

const { module, memory, control, slot, slotSize, port } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
const kernels = new Map();
const ctl = new Int32Array(control);
const base = slot * slotSize;
const ARGS = base + 4;

/** The kernel with this id, receiving its module from the port if it has not arrived yet. */
function kernel(id) {
  while (!kernels.has(id)) {
    const message = receiveMessageOnPort(port);
    if (message === undefined) {
      Atomics.wait(ctl, base + 1, 1, 1); // sleep 1 ms: the module is on its way
      continue;
    }
    const { id: got, module: m } = message.message;
    kernels.set(got, new WebAssembly.Instance(m, { env: { memory } }).exports.run);
  }
  return kernels.get(id);
}

Atomics.store(ctl, base + 1, 1);
for (;;) {
  const state = Atomics.load(ctl, base);
  if (state === 3) process.exit(0);
  if (state !== 1 || Atomics.compareExchange(ctl, base, 1, 4) !== 1) {
    Atomics.wait(ctl, base, state);
    continue;
  }
  const id = ctl[base + 2];
  const args = Array.from(ctl.subarray(ARGS, base + slotSize));
  let outcome = 2;
  try {
    ctl[base + 3] = id === -1 ? gemm(...args) : kernel(id)(...args);
  } catch {
    outcome = 5; // failed (a trap): the main thread reports it rather than waiting forever
  }
  Atomics.store(ctl, base, outcome);
  Atomics.notify(ctl, base);
}
