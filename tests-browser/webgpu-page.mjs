/**
 * The WebGPU browser test's page script (tests-browser/webgpu.mjs opens it): which adapter
 * `navigator.gpu.requestAdapter()` gives, then `await init("webgpu")`, then the jitted gradient
 * of a small MLP's loss on webgpu and on cpu, reported in `window.result`.
 */
/* global window, navigator */
const result = { secure: window.isSecureContext, gpu: typeof navigator.gpu !== "undefined" };

/** Deterministic values in [-1, 1). */
function values(n, seed) {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

async function run() {
  if (!result.gpu) return;
  const adapter = await navigator.gpu.requestAdapter();
  if (adapter === null) return;
  const info = adapter.info ?? {};
  result.adapter = {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    fallback: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
  };

  const { config, init, jit, grad, nn, numpy: np } = await import("./dist/cotangent.js");
  result.init = await init("webgpu");

  // A 6→16→4 relu MLP, softmax cross-entropy against one-hot labels, batch 32.
  const params = () => ({
    w1: np.reshape(np.array(values(6 * 16, 1)), [6, 16]),
    b1: np.array(values(16, 2)),
    w2: np.reshape(np.array(values(16 * 4, 3)), [16, 4]),
    b2: np.array(values(4, 4)),
  });
  const x = () => np.reshape(np.array(values(32 * 6, 5)), [32, 6]);
  const y = () => nn.oneHot(np.mod(np.arange(32), 4), 4);
  const loss = (p, xb, yb) => {
    const h = nn.relu(np.add(np.matmul(xb, p.w1), p.b1));
    const logits = np.add(np.matmul(h, p.w2), p.b2);
    return np.negative(np.mean(np.sum(np.multiply(nn.logSoftmax(logits), yb), -1)));
  };
  const dloss = jit(grad(loss));

  const read = async (g) =>
    Object.fromEntries(await Promise.all(Object.keys(g).map(async (k) => [k, Array.from(await g[k].data())])));

  config.update("platform", "webgpu");
  const onGpu = dloss(params(), x(), y());
  // On webgpu no synchronous read exists: dataSync() throwing a WebGpuError shows the result lives on the GPU.
  try {
    onGpu.w1.dataSync();
    result.resultOnGpu = false;
  } catch (e) {
    result.resultOnGpu = e.name === "WebGpuError";
    result.dataSyncMessage = e.message;
  }
  result.webgpu = await read(onGpu);

  config.update("platform", "cpu");
  const onCpu = dloss(params(), x(), y());
  onCpu.w1.dataSync(); // in JS memory: a synchronous read works (it would throw for a GPU array)
  result.cpu = await read(onCpu);
}

run().then(
  () => (window.result = result),
  (e) => (window.result = { ...result, error: String(e && e.stack ? e.stack : e) }),
);
