/**
 * The JAX golden suite: every case of `tests/data/jax-golden.json` (computed by JAX, float32, CPU) run through the
 * public API as a JAX user would write it, except
 *   - `random.*` (checked in the random suite),
 *   - `seed.custom_f.*` and `seed.stable_log1pexp.*` (they need customVjp).
 *
 * For the unary / binary / reduce / linalg / shape families a case holds the inputs `[...xs, w]` and JAX's outputs
 * `[f(...xs), ...grads]`, the gradients being those of `sum(f(...xs) * w)` w.r.t. each x. The parameters that the
 * file does not record (slice bounds, pad widths, ...) were deduced from its input and output data; each is written
 * next to its case.
 */
import { describe, expect, it } from "vitest";
import { jit, lax, nn, numpy as np, scipy, valueAndGrad, vmap, Array as NdArray } from "../src/index.js";
import {
  batchElement,
  expectMatchesAsync,
  isEncoded,
  loadGolden,
  stackCopies,
  toArray,
  type Encoded,
  type GoldenCase,
  type Tolerance,
} from "./helpers/golden.js";
import { onTestDevice } from "./helpers/webgpu-everywhere.js";

const golden = loadGolden();

/** A case's input as an array, in GPU memory when the suite reruns on webgpu (golden-webgpu.test.ts). */
const input = (e: Encoded): NdArray => onTestDevice(toArray(e));
/** `n` stacked copies of an input (for vmap checks), likewise. */
const stackedInput = (e: Encoded, n: number): NdArray => onTestDevice(stackCopies(e, n));

/**
 * The suite runs twice over: with optional arguments positional (JAX's order), and, from
 * golden-options.test.ts, with the same options written as trailing objects.
 */
const OBJECT_FORM = (globalThis as { goldenObjectForm?: boolean }).goldenObjectForm === true;
const either = <T>(positional: () => T, object: () => T): T => (OBJECT_FORM ? object() : positional());
const cases = new Map(golden.cases.map((c) => [c.id, c]));

/** Ids that this file does not check, and why (see the header). */
const excluded = (id: string): boolean =>
  id.startsWith("random.") || id.startsWith("seed.custom_f.") || id.startsWith("seed.stable_log1pexp.");

/** Ids checked below; the last test asserts that together with `excluded` they cover the whole file. */
const covered = new Set<string>();

function getCase(id: string): GoldenCase {
  const c = cases.get(id);
  if (c === undefined) throw new Error(`golden: no case ${id}`);
  covered.add(id);
  return c;
}

function enc(x: unknown, what: string): Encoded {
  if (!isEncoded(x)) throw new Error(`golden: ${what} is not an encoded array`);
  return x;
}

// --- tolerances -------------------------------------------------------------------------------------------------
//
// Both JAX and this library compute in float32 (eps = 1.2e-7); each elementwise function is within a few ulp of the
// true value in both, so elementwise results agree to ~1e-6 relative. rtol = 2e-5 leaves ample room for the few-ulp
// differences of compositions (gelu, log_sigmoid, chains of jvp rules). The absolute floor (a multiple of the largest
// |expected| in the array, at least 1) covers values near a zero crossing, where a relative bound is meaningless:
// e.g. JAX's own float32 lgamma is up to 1.5e-6 from the true value (8e-7 at x = 2.25, where lgamma ≈ 0.13),
// and subtract / softplus(-100) give values at or near 0 (JAX flushes float32 subnormals to zero, we may not).

/** Elementwise functions and their derivatives (unary, binary, seed, nn.softplus). */
const ELEMENTWISE: Tolerance = { rtol: 2e-5, atol: 1e-6 };
/**
 * Reductions over up to 60 elements: a different summation order changes a float32 sum by at most ~n·eps/2 ≈ 3.6e-6
 * of Σ|x| (≈ √n·eps in practice), hence a floor of 2e-6 of the scale.
 */
const REDUCTION: Tolerance = { rtol: 2e-5, atol: 2e-6 };
/** Contractions of length ≤ 6 (matmul family): a handful of float32 roundings per element. */
const LINALG: Tolerance = { rtol: 2e-5, atol: 1e-6 };
/**
 * Shape ops move data; the only arithmetic is a product or two (x·x, 2·x, 0.1·x) and, for broadcast_to / take /
 * concatenate, the sum of at most 4 cotangents: a few float32 roundings, so 1e-6 relative is already generous.
 */
const SHAPE: Tolerance = { rtol: 1e-6, atol: 1e-7 };

// --- the "f(xs), grad of sum(f(xs) * w)" families -----------------------------------------------------------------

type Fn = (...xs: NdArray[]) => NdArray;

/**
 * `valueAndGrad` of `sum(f(xs) * w)` w.r.t. every x, with `f(xs)` returned as aux:
 * `(...xs, w) => [[loss, f(xs)], grads]` (grads a single array when f takes one argument, as `argnums=0`).
 */
function lossWithAux(f: Fn, arity: number) {
  const loss = (...args: NdArray[]): [NdArray, NdArray] => {
    const y = f(...args.slice(0, arity));
    return [np.sum(np.multiply(y, args[arity])), y];
  };
  const argnums = arity === 1 ? 0 : Array.from({ length: arity }, (_, i) => i);
  return valueAndGrad(loss as (...args: never[]) => unknown, {
    argnums,
    hasAux: true,
  }) as (...args: NdArray[]) => [[NdArray, NdArray], NdArray | NdArray[]];
}

const gradList = (g: NdArray | NdArray[]): NdArray[] => (Array.isArray(g) ? g : [g]);

/** Checks `[[loss, y], grads]` (optionally batch element `b` of a vmapped result) against a case's outputs. */
async function checkOutputs(
  label: string,
  c: GoldenCase,
  result: [[NdArray, NdArray], NdArray | NdArray[]],
  tol: Tolerance,
  b?: number,
): Promise<void> {
  const pick = (x: NdArray): NdArray => (b === undefined ? x : batchElement(x, b));
  const outputs = c.outputs!;
  const [[, y], grads] = result;
  await expectMatchesAsync(`${label} value`, pick(y), enc(outputs[0], "output 0"), tol);
  const gs = gradList(grads);
  expect(gs.length, `${label}: number of gradients`).toBe(outputs.length - 1);
  for (const [i, g] of gs.entries())
    await expectMatchesAsync(`${label} grad ${i}`, pick(g), enc(outputs[i + 1], `output ${i + 1}`), tol);
}

/**
 * Registers three tests per case: eager, under jit, and under vmap over a batch of two stacked copies of the inputs
 * (each batch element must give JAX's numbers). The brief asks for the jit / vmap reruns on unary and binary; they
 * are cheap, so every family gets them.
 */
function lossCase(id: string, f: Fn, tol: Tolerance): void {
  const c = getCase(id);
  const inputs = c.inputs!;
  const arity = inputs.length - 1;
  it(id, async () => {
    const xs = inputs.map(input);
    await checkOutputs(id, c, lossWithAux(f, arity)(...xs), tol);
  });
  it(`${id} (jit)`, async () => {
    const xs = inputs.map(input);
    const jitted = jit(lossWithAux(f, arity));
    await checkOutputs(`${id} jit`, c, jitted(...xs), tol);
    // Call again with the same argument types (the cached path).
    await checkOutputs(`${id} jit, cached`, c, jitted(...xs), tol);
  });
  it(`${id} (vmap)`, async () => {
    const batched = inputs.map((e) => stackedInput(e, 2));
    const result = vmap(lossWithAux(f, arity))(...batched);
    expect(result[0][0].shape, `${id} vmap: per-example losses`).toEqual([2]);
    for (const b of [0, 1]) await checkOutputs(`${id} vmap[${b}]`, c, result, tol, b);
  });
}

// --- seed cases and nn.softplus: outputs [value, grad] of a scalar function ----------------------------------------

function scalarCase(id: string, f: (x: NdArray) => NdArray): void {
  const c = getCase(id);
  it(id, async () => {
    const [value, g] = valueAndGrad(f)(input(enc(c.inputs![0], "input"))) as [NdArray, NdArray];
    await expectMatchesAsync(`${id} value`, value, enc(c.outputs![0], "value"), ELEMENTWISE);
    await expectMatchesAsync(`${id} grad`, g, enc(c.outputs![1], "grad"), ELEMENTWISE);
  });
}

describe("golden: seed.unstable_log1pexp (log(1 + exp(x)) written plainly)", () => {
  // At x = 100, exp overflows: value inf and gradient inf/inf = NaN, exactly as in JAX.
  for (const x of ["1.0", "35.0", "100.0", "-100.0", "0.0", "20.0"]) {
    scalarCase(`seed.unstable_log1pexp.${x}`, (t) => np.log(np.add(1, np.exp(t))));
  }
});

describe("golden: nn.softplus", () => {
  for (const x of ["1.0", "35.0", "100.0", "-100.0", "0.0", "20.0"])
    scalarCase(`nn.softplus.${x}`, (t) => nn.softplus(t));
});

describe("golden: seed.auto_f", () => {
  // The file does not record f. Its single point (x = 2, y = f32(π/2)) has f = 4, ∂f/∂x = 4 and
  // ∂f/∂y = 8·cos(f32(π/2)) = -3.4969e-7, which x²·sin²(y) reproduces (∂f/∂y = 2x²·sin(y)·cos(y)).
  // ∂f/∂y is the float32 rounding residue cos(f32(π/2)) = -4.371139e-8 scaled by 8; matching it to rtol 2e-5
  // checks that sin/cos of a float32 input are correctly rounded, as in XLA.
  const c = getCase("seed.auto_f.value_and_grad");
  it(c.id, async () => {
    const [x, y] = c.inputs!.map(input);
    const f = (a: NdArray, b: NdArray) => np.multiply(np.square(a), np.square(np.sin(b)));
    const [value, grads] = valueAndGrad(f, { argnums: [0, 1] })(x, y);
    const [wantValue, wantGrads] = c.outputs! as [Encoded, Encoded[]];
    await expectMatchesAsync(`${c.id} value`, value, wantValue, ELEMENTWISE);
    await expectMatchesAsync(`${c.id} grad x`, grads[0], wantGrads[0], ELEMENTWISE);
    await expectMatchesAsync(`${c.id} grad y`, grads[1], wantGrads[1], ELEMENTWISE);
  });
});

// --- unary -------------------------------------------------------------------------------------------------------

const unary: Record<string, Fn> = {
  sin: (x) => np.sin(x),
  cos: (x) => np.cos(x),
  tan: (x) => np.tan(x),
  exp: (x) => np.exp(x),
  log: (x) => np.log(x),
  log1p: (x) => np.log1p(x),
  expm1: (x) => np.expm1(x),
  tanh: (x) => np.tanh(x),
  sqrt: (x) => np.sqrt(x),
  abs: (x) => np.abs(x),
  square: (x) => np.square(x),
  reciprocal: (x) => np.reciprocal(x),
  negative: (x) => np.negative(x),
  sinh: (x) => np.sinh(x),
  cosh: (x) => np.cosh(x),
  arcsin: (x) => np.arcsin(x),
  arccos: (x) => np.arccos(x),
  arctan: (x) => np.arctan(x),
  arcsinh: (x) => np.arcsinh(x),
  arctanh: (x) => np.arctanh(x),
  cbrt: (x) => np.cbrt(x),
  sigmoid: (x) => nn.sigmoid(x),
  relu: (x) => nn.relu(x),
  // jax.nn.gelu's default is approximate=True (the tanh form); the exact erf form is 9e-2 away on this data.
  gelu: (x) => nn.gelu(x),
  silu: (x) => nn.silu(x),
  softplus: (x) => nn.softplus(x),
  erf: (x) => scipy.special.erf(x),
  log_sigmoid: (x) => nn.logSigmoid(x),
  exp2: (x) => np.exp2(x),
  log2: (x) => np.log2(x),
  log10: (x) => np.log10(x),
  sign: (x) => np.sign(x),
  floor: (x) => np.floor(x),
  round: (x) => np.round(x),
  rsqrt: (x) => lax.rsqrt(x),
  elu: (x) => nn.elu(x),
  leaky_relu: (x) => nn.leakyRelu(x),
  lgamma: (x) => scipy.special.gammaln(x),
};

describe("golden: unary", () => {
  for (const [name, f] of Object.entries(unary)) lossCase(`unary.${name}`, f, ELEMENTWISE);
});

// --- binary (x of shape (3, 1) broadcast against y of shape (1, 4)) ----------------------------------------------

const binary: Record<string, Fn> = {
  add: (x, y) => np.add(x, y),
  subtract: (x, y) => np.subtract(x, y),
  multiply: (x, y) => np.multiply(x, y),
  divide: (x, y) => np.divide(x, y),
  power: (x, y) => np.power(x, y),
  maximum: (x, y) => np.maximum(x, y),
  minimum: (x, y) => np.minimum(x, y),
  arctan2: (x, y) => np.arctan2(x, y),
  logaddexp: (x, y) => np.logaddexp(x, y),
  hypot: (x, y) => np.hypot(x, y),
};

describe("golden: binary", () => {
  for (const [name, f] of Object.entries(binary)) lossCase(`binary.${name}`, f, ELEMENTWISE);
});

// --- reductions (x of shape (3, 4, 5)) ---------------------------------------------------------------------------

describe("golden: reduce", () => {
  lossCase("reduce.sum_all", (x) => np.sum(x), REDUCTION);
  lossCase(
    "reduce.sum_ax1",
    (x) =>
      either(
        () => np.sum(x, 1),
        () => np.sum(x, { axis: 1 }),
      ),
    REDUCTION,
  );
  lossCase(
    "reduce.mean_ax02",
    (x) =>
      either(
        () => np.mean(x, [0, 2]),
        () => np.mean(x, { axis: [0, 2] }),
      ),
    REDUCTION,
  );
  lossCase(
    "reduce.max_ax2",
    (x) =>
      either(
        () => np.max(x, 2),
        () => np.max(x, { axis: 2 }),
      ),
    REDUCTION,
  );
  lossCase("reduce.min_all", (x) => np.min(x), REDUCTION);
  lossCase(
    "reduce.prod_ax0",
    (x) =>
      either(
        () => np.prod(x, 0),
        () => np.prod(x, { axis: 0 }),
      ),
    REDUCTION,
  );
  lossCase(
    "reduce.logsumexp_ax1",
    (x) =>
      either(
        () => scipy.special.logsumexp(x, 1),
        () => scipy.special.logsumexp(x, { axis: 1 }),
      ),
    REDUCTION,
  );
  // ddof = 0 (numpy's default) reproduces the values.
  lossCase(
    "reduce.var_ax2",
    (x) =>
      either(
        () => np.var(x, 2),
        () => np.var(x, { axis: 2 }),
      ),
    REDUCTION,
  );
  lossCase("reduce.std_all", (x) => np.std(x), REDUCTION);
  lossCase(
    "reduce.cumsum_ax1",
    (x) =>
      either(
        () => np.cumsum(x, 1),
        () => np.cumsum(x, { axis: 1 }),
      ),
    REDUCTION,
  );
  lossCase(
    "reduce.softmax_ax2",
    (x) =>
      either(
        () => nn.softmax(x, 2),
        () => nn.softmax(x, { axis: 2 }),
      ),
    REDUCTION,
  );
  lossCase(
    "reduce.log_softmax_ax2",
    (x) =>
      either(
        () => nn.logSoftmax(x, 2),
        () => nn.logSoftmax(x, { axis: 2 }),
      ),
    REDUCTION,
  );
  lossCase("reduce.norm_all", (x) => np.linalg.norm(x), REDUCTION);
  // Output (3, 1, 5): jnp.sum(x, axis=1, keepdims=True).
  lossCase(
    "reduce.keepdims_sum",
    (x) =>
      either(
        () => np.sum(x, 1, null, null, true),
        () => np.sum(x, { axis: 1, keepdims: true }),
      ),
    REDUCTION,
  );
});

// --- linalg ------------------------------------------------------------------------------------------------------

describe("golden: linalg", () => {
  lossCase("linalg.matmul", (x, y) => np.matmul(x, y), LINALG);
  // (4, 6) @ (2, 6, 3) -> (2, 4, 3): the 2-d operand broadcasts over the batch.
  lossCase("linalg.batched_matmul", (x, y) => np.matmul(x, y), LINALG);
  lossCase("linalg.einsum_ij_jk", (x, y) => np.einsum("ij,jk->ik", x, y), LINALG);
  // Output (4, 3) from (4, 6) and (6, 3): axes = 1.
  lossCase(
    "linalg.tensordot",
    (x, y) =>
      either(
        () => np.tensordot(x, y, 1),
        () => np.tensordot(x, y, { axes: 1 }),
      ),
    LINALG,
  );
  // Output (6, 6), gradient nonzero only in x[0] and y[:, 0]: jnp.outer(x[0], y[:, 0]).
  lossCase("linalg.outer", (x, y) => np.outer(x.get(0), y.get(np.slice(), 0)), LINALG);
});

// --- shape (x of shape (3, 4, 5)); the parameters were deduced from the data -------------------------------------

describe("golden: shape", () => {
  lossCase("shape.reshape", (x) => np.reshape(x, [12, 5]), SHAPE);
  // Output (5, 3, 4) with y[k, i, j] = x[i, j, k].
  lossCase("shape.transpose", (x) => np.transpose(x, [2, 0, 1]), SHAPE);
  // x[1:3, ::2, 2:]
  lossCase("shape.slice", (x) => x.get(np.slice(1, 3), np.slice(null, null, 2), np.slice(2)), SHAPE);
  // x[1, :, 2]
  lossCase("shape.index_int", (x) => x.get(1, np.slice(), 2), SHAPE);
  // jnp.concatenate([x, 2 * x], axis=1)
  lossCase(
    "shape.concatenate",
    (x) =>
      either(
        () => np.concatenate([x, np.multiply(2, x)], 1),
        () => np.concatenate([x, np.multiply(2, x)], { axis: 1 }),
      ),
    SHAPE,
  );
  // jnp.stack([x, x * x])
  lossCase(
    "shape.stack",
    (x) =>
      either(
        () => np.stack([x, np.multiply(x, x)], 0),
        () => np.stack([x, np.multiply(x, x)], { axis: 0 }),
      ),
    SHAPE,
  );
  // jnp.where(x > 0, x, 0.1 * x)
  lossCase("shape.where", (x) => np.where(np.greater(x, 0), x, np.multiply(0.1, x)), SHAPE);
  // jnp.take(x, jnp.array([2, 0, 2]), axis=1): row 2 receives two cotangents.
  lossCase(
    "shape.take",
    (x) =>
      either(
        () => np.take(x, np.array([2, 0, 2], "int32"), 1),
        () => np.take(x, np.array([2, 0, 2], { dtype: "int32" }), { axis: 1 }),
      ),
    SHAPE,
  );
  // jnp.flip(x, axis=2)
  lossCase(
    "shape.flip",
    (x) =>
      either(
        () => np.flip(x, 2),
        () => np.flip(x, { axis: 2 }),
      ),
    SHAPE,
  );
  // y[i, j, k] = x[i, 0, k] * x[i, j, k]: x * jnp.broadcast_to(x[:, :1, :], (3, 4, 5)).
  lossCase(
    "shape.broadcast_to",
    (x) => np.multiply(x, np.broadcastTo(x.get(np.slice(), np.slice(0, 1)), [3, 4, 5])),
    SHAPE,
  );
  // y = x * x with gradient 2xw; the round trip's axis cannot be read off the data (any axis gives the same), so 0:
  // jnp.squeeze(jnp.expand_dims(x, 0), 0) * x.
  lossCase(
    "shape.expand_squeeze",
    (x) =>
      either(
        () => np.multiply(np.squeeze(np.expandDims(x, 0), 0), x),
        () => np.multiply(np.squeeze(np.expandDims(x, 0), { axis: 0 }), x),
      ),
    SHAPE,
  );
  // Output (3, 7, 6), x at [:, 1:5, :5]: jnp.pad(x, ((0, 0), (1, 2), (0, 1))).
  lossCase(
    "shape.pad",
    (x) =>
      np.pad(x, [
        [0, 0],
        [1, 2],
        [0, 1],
      ]),
    SHAPE,
  );
  // jnp.clip(x, -0.5, 0.7); the gradient is 0 outside (-0.5, 0.7) (JAX writes -0. where w < 0; zero signs are not
  // compared).
  lossCase("shape.clip", (x) => np.clip(x, -0.5, 0.7), SHAPE);
  lossCase(
    "shape.sort_ax2",
    (x) =>
      either(
        () => np.sort(x, 2),
        () => np.sort(x, { axis: 2 }),
      ),
    SHAPE,
  );
  // Output equals sort(x, axis=2): jnp.take_along_axis(x, jnp.argsort(x, axis=2), axis=2).
  lossCase(
    "shape.take_along_axis",
    (x) =>
      either(
        () => np.takeAlongAxis(x, np.argsort(x, 2), 2),
        () => np.takeAlongAxis(x, np.argsort(x, { axis: 2 }), 2),
      ),
    SHAPE,
  );
  // y = x * x except y[0, 1, :] = 7 * x[0, 1, :], gradient 7w there: x.at[0, 1].set(7.) * x. (The data cannot tell it
  // from (x * x).at[0, 1].set(7 * x[0, 1]), which has the same values and gradient.)
  lossCase("shape.at_set", (x) => np.multiply(x.at(0, 1).set(7), x), SHAPE);
  // y = z * z with z = x.at[:, 2].add(1.5): y[:, 2] = (x[:, 2] + 1.5)², gradient 2zw.
  lossCase(
    "shape.at_add",
    (x) => {
      const z = x.at(np.slice(), 2).add(1.5);
      return np.multiply(z, z);
    },
    SHAPE,
  );
});

// --- coverage ----------------------------------------------------------------------------------------------------

describe("golden: coverage", () => {
  it("checks every case of the file except the excluded families", () => {
    const unchecked = golden.cases.map((c) => c.id).filter((id) => !covered.has(id) && !excluded(id));
    expect(unchecked).toEqual([]);
    expect(golden.cases.length).toBe(110);
  });
});
