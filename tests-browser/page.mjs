/**
 * The browser test's page script: runs a matrix product and a jitted fused
 * program on the wasm platform and on the cpu one, and reports the results and
 * how many threads took part to the runner (tests-browser/run.mjs) in
 * `window.result`.
 */
/* global window, navigator, location, setTimeout */
const { config, jit, numpy: np } = await import("./dist/index.js");
const { getPool } = await import("./dist/backends/wasm/threads.js");

const N = 512;
const a = np.reshape(np.array(Float32Array.from({ length: N * N }, (_, i) => Math.sin(i))), [N, N]);
const b = np.reshape(np.array(Float32Array.from({ length: N * N }, (_, i) => Math.cos(0.5 * i))), [N, N]);
const x = np.linspace(-3, 3, 300_000);
const fused = jit((v) => np.sum(np.tanh(np.add(np.multiply(np.exp(np.negative(np.abs(v))), 2), np.cos(v)))));

async function run() {
  config.update("platform", "wasm");
  np.matmul(a, b).dataSync(); // creates the pool; its workers start in the background
  fused(x).dataSync(); // compiles the kernel; its module reaches the workers in the background
  const pool = getPool();
  const expected = window.crossOriginIsolated ? Math.min(navigator.hardwareConcurrency - 1, 7) : 0;
  const missing = location.pathname.startsWith("/no-worker/"); // the worker script is missing: none will start
  for (let t = 0; pool.workers < expected && t < (missing ? 20 : 400); t++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 100)); // the kernel modules reach the workers

  // Threads that took part in each pool call (the calling thread and each worker that ran).
  const used = { gemm: 0, kernel: 0 };
  // (a gemm thread counts if it took tiles; a kernel's result is 0 where it ran)
  const count = (min) => pool.last.results.filter((r) => r !== undefined && r >= min).length;
  const [run, runKernel] = [pool.run, pool.runKernel];
  pool.run = (lists) => {
    const r = run(lists);
    used.gemm = Math.max(used.gemm, count(1));
    return r;
  };
  pool.runKernel = (id, lists) => {
    const r = runKernel(id, lists);
    used.kernel = Math.max(used.kernel, count(0));
    return r;
  };
  const wasm = { matmul: Array.from(np.matmul(a, b).dataSync()), fused: Array.from(fused(x).dataSync()) };
  [pool.run, pool.runKernel] = [run, runKernel];

  config.update("platform", "cpu");
  const cpu = { matmul: Array.from(np.matmul(a, b).dataSync()), fused: Array.from(fused(x).dataSync()) };
  return {
    crossOriginIsolated: window.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    workers: pool.workers,
    used,
    wasm,
    cpu,
  };
}

run().then(
  (r) => (window.result = r),
  (e) => (window.result = { error: String(e && e.stack ? e.stack : e) }),
);
