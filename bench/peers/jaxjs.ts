/**
 * The compared workloads on @jax-js/jax, on its "wasm" device (in Node 20 there is no Web Worker, so its kernels run
 * on one thread). Every multi-op workload is `jit`-compiled, which fuses elementwise chains into generated kernels.
 *
 * jax-js counts references: every function consumes its array arguments, `x.ref` keeps one for later, and reading an
 * array back (`dataSync()`) consumes it. Inputs kept across iterations are therefore always passed as `x.ref`.
 */
import { defaultDevice, init, numpy as np, grad, valueAndGrad, jit, lax, nn, tree } from "@jax-js/jax";
import {
  CONV_LHS,
  CONV_RHS,
  convInputs,
  LEARNING_RATE,
  MATMUL_N,
  W4_X,
  matmulInputs,
  mlpBatch,
  mlpInit,
  w2Input,
  w5Input,
  type Readout,
  type WorkloadName,
  type Workloads,
} from "./workloads.js";

type Arr = np.Array;
type Layer = { w: Arr; b: Arr };

/** Reads a workload's outputs back into JS; this consumes them (pass `x.ref` to keep one). */
export type Reader<R> = (...xs: Arr[]) => R;

const readSync: Reader<Readout> = (...xs) => xs.map((x) => x.dataSync());

/** sum(log1p(exp(sin(x)·x + 1)) · 0.5) */
const w2 = (x: Arr): Arr =>
  np
    .log1p(np.exp(np.sin(x.ref).mul(x).add(1)))
    .mul(0.5)
    .sum();

/** Mean softmax cross-entropy of the relu MLP against one-hot labels. */
function mlpLoss(params: Layer[], x: Arr, y: Arr): Arr {
  let h = x;
  params.forEach(({ w, b }, i) => {
    h = np.matmul(h, w).add(b);
    if (i < params.length - 1) h = nn.relu(h);
  });
  return nn.logSoftmax(h, -1).mul(y).sum(-1).mean().neg();
}

/** Selects the wasm device (jaxjs-webgpu.ts, in the same process, selects webgpu for its own calls). */
export const enter = (): void => void defaultDevice("wasm");

export async function setup(): Promise<Workloads> {
  // `init()` without a device probes `navigator` (WebGPU), which Node does not have.
  await init("wasm");
  return workloadsWith(readSync);
}

/** The workloads on jax-js's default device, each ending with `read` (jaxjs-webgpu.ts reads with `await x.data()`). */
export function workloadsWith<R>(read: Reader<R>): Map<WorkloadName, () => R> {
  const workloads = new Map<WorkloadName, () => R>();

  const { a: aData, b: bData } = matmulInputs();
  const a = np.array(aData, { shape: [MATMUL_N, MATMUL_N] });
  const b = np.array(bData, { shape: [MATMUL_N, MATMUL_N] });
  workloads.set("W1 matmul 1024×1024", () => read(np.matmul(a.ref, b.ref)));

  const x2 = np.array(w2Input());
  const w2Jit = jit(w2);
  const w2VgJit = jit(valueAndGrad(w2));
  workloads.set("W2 forward", () => read(w2Jit(x2.ref)));
  workloads.set("W2 value-and-grad", () => read(...w2VgJit(x2.ref)));

  // W3: the step consumes the parameters and returns the new ones and the loss; the next iteration starts from them.
  let params: Layer[] = mlpInit().map((l) => ({
    w: np.array(l.w, { shape: [l.fanIn, l.fanOut] }),
    b: np.array(l.b),
  }));
  const batch = mlpBatch();
  const rows = batch.x.length / params[0].w.shape[0];
  const x3 = np.array(batch.x, { shape: [rows, params[0].w.shape[0]] });
  const y3 = np.array(batch.y, { shape: [rows, batch.y.length / rows] });
  const step = jit((p: Layer[], x: Arr, y: Arr) => {
    const [loss, g] = valueAndGrad(mlpLoss)(tree.ref(p), x, y);
    const next = tree.map((w: Arr, dw: Arr) => w.sub(dw.mul(LEARNING_RATE)), p, g) as Layer[];
    return { loss, next };
  });
  workloads.set("W3 MLP SGD step", () => {
    const { loss, next } = step(params, x3.ref, y3.ref);
    params = next;
    // The parameters are read with `.ref` so they survive for the next step.
    return read(loss, ...params.flatMap((l) => [l.w.ref, l.b.ref]));
  });

  const f4 = (x: Arr): Arr => x.ref.mul(np.sin(x));
  const x4 = np.array(W4_X);
  const df4 = grad(f4);
  const df4Jit = jit(grad(f4));
  workloads.set("W4 grad(x·sin x) eager", () => read(df4(x4.ref)));
  workloads.set("W4 grad(x·sin x) jit", () => read(df4Jit(x4.ref)));

  // jax-js has no customVjp: W5 differentiates its built-in softplus, log(exp(x) + 1).
  const x5 = np.array(w5Input());
  const df5Jit = jit(grad((x: Arr) => nn.softplus(x).sum()));
  workloads.set("W5 grad of custom softplus", () => read(df5Jit(x5.ref)));

  const { lhs: lhsData, rhs: rhsData } = convInputs();
  const lhs6 = np.array(lhsData, { shape: [...CONV_LHS] });
  const rhs6 = np.array(rhsData, { shape: [...CONV_RHS] });
  workloads.set("W6 conv2d 3×3", () => read(lax.convGeneralDilated(lhs6.ref, rhs6.ref, [1, 1], "SAME")));

  return workloads;
}
