/**
 * The workloads that `bench/compare.ts` runs on every library, and the deterministic float32 inputs they all start
 * from, so that the libraries compute the same numbers and their results can be compared before timing.
 */

export const WORKLOADS = [
  "W1 matmul 1024×1024",
  "W2 forward",
  "W2 value-and-grad",
  "W3 MLP SGD step",
  "W4 grad(x·sin x) eager",
  "W4 grad(x·sin x) jit",
  "W5 grad of custom softplus",
  "W6 conv2d 3×3",
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

/**
 * What one iteration read back into JS: every output buffer. Reading back is part of the iteration, so that lazy
 * libraries (jax-js) really compute, and so that the agreement check can compare the numbers.
 */
export type Readout = ArrayLike<number>[];
/** One iteration of a workload, run to completion. */
export type RunOnce = () => Readout;
/** What each peer's `setup()` returns: the workloads it can run (a missing one is "n/a" in the table). */
export type Workloads = Map<WorkloadName, RunOnce>;
/**
 * One iteration on a GPU, run to completion: results are read with `await x.data()` (no synchronous read exists on
 * WebGPU), so the time includes the GPU's work and the copy back.
 */
export type RunOnceAsync = () => Promise<Readout>;
/** What a webgpu peer's `setup()` returns. */
export type AsyncWorkloads = Map<WorkloadName, RunOnceAsync>;

/** W1: square matrices of this size; 2·N³ floating-point operations per product. */
export const MATMUL_N = 1024;
export const MATMUL_FLOPS = 2 * MATMUL_N ** 3;
/** W2 and W5: vector length. */
export const ELEMENTS = 1_000_000;
/** W3: layer widths, batch size and learning rate. */
export const MLP_SIZES = [784, 512, 512, 10] as const;
export const BATCH = 128;
export const LEARNING_RATE = 0.01;
/** W4: the scalar point. */
export const W4_X = 1.0;
/** W6: NCHW images, OIHW kernels (JAX's default layout), stride 1, "SAME" padding. */
export const CONV_LHS = [16, 16, 32, 32] as const;
export const CONV_RHS = [32, 16, 3, 3] as const;
/** 2 · (output elements) · (multiply-adds per output element). */
export const CONV_FLOPS = 2 * (16 * 32 * 32 * 32) * (16 * 3 * 3);

const fill = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));
const linspace = (lo: number, hi: number, n: number): Float32Array => fill(n, (i) => lo + ((hi - lo) * i) / (n - 1));

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** W1 operands (row-major N×N): sin and cos of the index, so the product is not a constant. */
export const matmulInputs = once(() => ({
  a: fill(MATMUL_N * MATMUL_N, (i) => Math.sin(i)),
  b: fill(MATMUL_N * MATMUL_N, (i) => Math.cos(i)),
}));

/** W2 input: 1,000,000 points evenly spaced in [-3, 3]. */
export const w2Input = once(() => linspace(-3, 3, ELEMENTS));

/**
 * W5 input: 1,000,000 points in [-20, 20]. Wide enough that the stable form matters for precision, and narrow enough
 * that jax-js's built-in softplus (computed as log(exp(x) + 1), which overflows for x > 88) stays finite and comparable.
 */
export const w5Input = once(() => linspace(-20, 20, ELEMENTS));

/** W6 operands: images in [0, 1) and kernel weights in ±1/√(16·9), from the shader hash. */
export const convInputs = once(() => ({
  lhs: fill(
    CONV_LHS.reduce((a, b) => a * b, 1),
    (i) => 0.5 + 0.5 * noise(i, 5),
  ),
  rhs: fill(
    CONV_RHS.reduce((a, b) => a * b, 1),
    (i) => noise(i, 6) / 12,
  ),
}));

/** sum(log1p(exp(sin(x)·x + 1)) · 0.5) over the W2 input, accumulated in float64. */
const w2Value = once(() => w2Input().reduce((sum, x) => sum + 0.5 * Math.log1p(Math.exp(Math.sin(x) * x + 1)), 0));

/**
 * The exact (float64) value of a workload's first output element, where one is cheap to compute: it tells which
 * library is right when float32 results differ (e.g. by how a long sum is accumulated).
 */
export const FLOAT64_VALUES: Partial<Record<WorkloadName, () => number>> = {
  "W2 forward": w2Value,
  "W2 value-and-grad": w2Value,
  "W4 grad(x·sin x) eager": () => Math.sin(W4_X) + W4_X * Math.cos(W4_X),
  "W4 grad(x·sin x) jit": () => Math.sin(W4_X) + W4_X * Math.cos(W4_X),
};

/** One dense layer: weights (fanIn×fanOut, row-major) and biases. */
export interface LayerInit {
  w: Float32Array;
  b: Float32Array;
  fanIn: number;
  fanOut: number;
}

/**
 * A deterministic pseudo-random number in [-1, 1) from a scaled sine of the index (the classic shader hash). Plain
 * sin(a·i) would not do for W3: sums of products of sinusoids nearly cancel, leaving all logits ≈ 0.
 */
const noise = (i: number, seed: number): number => {
  const s = Math.sin(12.9898 * i + 78.233 * seed) * 43758.5453;
  return 2 * (s - Math.floor(s)) - 1;
};

/** W3 initial parameters: weights uniform in ±√(6/fanIn) (He-uniform scale), biases 0.01·cos(i). */
export const mlpInit = once((): LayerInit[] =>
  MLP_SIZES.slice(1).map((fanOut, l) => {
    const fanIn = MLP_SIZES[l];
    const scale = Math.sqrt(6 / fanIn);
    return {
      w: fill(fanIn * fanOut, (i) => scale * noise(i, l + 1)),
      b: fill(fanOut, (i) => 0.01 * Math.cos(i)),
      fanIn,
      fanOut,
    };
  }),
);

/** W3 batch: pixels in [0, 1] (BATCH×784, pseudo-random) and one-hot labels (BATCH×10), class = row mod 10. */
export const mlpBatch = once(() => {
  const classes = MLP_SIZES[MLP_SIZES.length - 1];
  return {
    x: fill(BATCH * MLP_SIZES[0], (i) => 0.5 + 0.5 * noise(i, 0)),
    y: fill(BATCH * classes, (i) => (Math.floor(i / classes) % classes === i % classes ? 1 : 0)),
  };
});
