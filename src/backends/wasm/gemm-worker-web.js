/* global self */
/**
 * A kernel worker for browsers (a module Web Worker; plain JavaScript, so that
 * the same file runs from the sources and from dist/). The first message gives
 * it the gemm module, the shared memory and the control block (see
 * gemm-worker.js for the slot layout and states); every later message a kernel
 * module, instantiated on the same memory. Between jobs it blocks in
 * `Atomics.wait` on its slot; messages arrive only when it returns to its event
 * loop, which it does when `counts[0]` (kernels registered) exceeds the kernels
 * it has. It publishes that number in `counts[1 + slot]`, and the calling thread
 * gives it a kernel's work only once it has the kernel.
 */
let worker = null;

self.onmessage = ({ data }) => {
  if (worker === null) {
    const { module, memory, control, counts, slot, slotSize } = data;
    const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports.gemm;
    worker = { memory, gemm, ctl: new Int32Array(control), counts, slot, base: slot * slotSize, slotSize, kernels: [] };
    Atomics.store(worker.ctl, worker.base + 1, 1);
  } else {
    const { id, module } = data;
    worker.kernels[id] = new WebAssembly.Instance(module, { env: { memory: worker.memory } }).exports.run;
    Atomics.store(worker.counts, 1 + worker.slot, worker.kernels.length);
  }
  loop(worker);
};

function loop({ gemm, ctl, counts, slot, base, slotSize, kernels }) {
  for (;;) {
    const state = Atomics.load(ctl, base);
    if (state === 3) return void self.close();
    if (state === 1 && Atomics.compareExchange(ctl, base, 1, 4) === 1) {
      const id = ctl[base + 2];
      const args = Array.from(ctl.subarray(base + 4, base + slotSize));
      let outcome = 2;
      try {
        ctl[base + 3] = id === -1 ? gemm(...args) : kernels[id](...args);
      } catch {
        outcome = 5; // failed (a trap): the calling thread reports it rather than waiting forever
      }
      Atomics.store(ctl, base, outcome);
      Atomics.notify(ctl, base);
      continue;
    }
    if (Atomics.load(counts, 0) > Atomics.load(counts, 1 + slot)) return; // a module is on its way
    Atomics.wait(ctl, base, state);
  }
}
