/**
 * The compared workloads on cotangent. `jit` wraps every multi-op workload: it traces once, optimises the program
 * and runs it op by op on cotangent's backend (`defaultBackend()`, printed in the report). W1 is a single op, so it
 * calls `np.matmul` directly; "W4 eager" measures `grad` without jit on purpose. `workloadsWith(read)` builds them
 * with either way of reading results back: `dataSync()` here, `await x.data()` on webgpu (cotangent-webgpu.ts).
 */
import { config, grad, valueAndGrad, jit, customVjp, lax, numpy as np, nn, tree, type Array } from "../../src/index.js";
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

export type Layer = { w: Array; b: Array };

/** Reads a workload's outputs back into JS: every iteration ends with it. */
export type Reader<R> = (...xs: Array[]) => R;

const readSync: Reader<Readout> = (...xs) => xs.map((x) => x.dataSync());

/** sum(log1p(exp(sin(x)·x + 1)) · 0.5) */
const w2 = (x: Array): Array => np.sum(np.multiply(np.log1p(np.exp(np.add(np.multiply(np.sin(x), x), 1))), 0.5));

/** Mean softmax cross-entropy of the relu MLP against one-hot labels. */
export function mlpLoss(params: Layer[], x: Array, y: Array): Array {
  let h = x;
  params.forEach(({ w, b }, i) => {
    h = np.add(np.matmul(h, w), b);
    if (i < params.length - 1) h = nn.relu(h);
  });
  return np.negative(np.mean(np.sum(np.multiply(nn.logSoftmax(h), y), -1)));
}

/** Stable softplus max(x, 0) + log1p(exp(-|x|)), with the reverse rule ct·σ(x). */
const softplus = customVjp((x: Array): Array => np.add(np.maximum(x, 0), np.log1p(np.exp(np.negative(np.abs(x))))));
softplus.defvjp(
  (x: Array) => [softplus(x), x] as const,
  (x: Array, ct: Array) => [np.multiply(ct, nn.sigmoid(x))],
);

/** The host platform, selected again before each call where the webgpu peer runs in the same process. */
const hostPlatform = config.values.platform;
export const enter = (): void => config.update("platform", hostPlatform);

export async function setup(): Promise<Workloads> {
  return workloadsWith(readSync);
}

/**
 * The workloads on the default platform, each ending with `read`. `place` puts each input where the platform keeps
 * its arrays (inputs made from JS values live in JS memory until an operation on a device makes a result there).
 */
export function workloadsWith<R>(read: Reader<R>, place: (x: Array) => Array = (x) => x): Map<WorkloadName, () => R> {
  const workloads = new Map<WorkloadName, () => R>();

  const { a: aData, b: bData } = matmulInputs();
  const a = place(np.asArray(aData).reshape([MATMUL_N, MATMUL_N]));
  const b = place(np.asArray(bData).reshape([MATMUL_N, MATMUL_N]));
  workloads.set("W1 matmul 1024×1024", () => read(np.matmul(a, b)));

  const x2 = place(np.asArray(w2Input()));
  const w2Jit = jit(w2);
  const w2VgJit = jit(valueAndGrad(w2));
  workloads.set("W2 forward", () => read(w2Jit(x2)));
  workloads.set("W2 value-and-grad", () => read(...w2VgJit(x2)));

  // W3: the step returns the new parameters and the loss; the next iteration starts from them.
  let params: Layer[] = mlpInit().map((l) => ({
    w: place(np.asArray(l.w).reshape([l.fanIn, l.fanOut])),
    b: place(np.asArray(l.b)),
  }));
  const batch = mlpBatch();
  const x3 = place(np.asArray(batch.x).reshape([-1, params[0].w.shape[0]]));
  const y3 = place(np.asArray(batch.y).reshape([x3.shape[0], -1]));
  const step = jit((p: Layer[], x: Array, y: Array) => {
    const [loss, g] = valueAndGrad(mlpLoss)(p, x, y);
    const next = tree.map((w: Array, dw: Array) => np.subtract(w, np.multiply(LEARNING_RATE, dw)), p, g) as Layer[];
    return { loss, next };
  });
  workloads.set("W3 MLP SGD step", () => {
    const { loss, next } = step(params, x3, y3);
    params = next as Layer[];
    return read(loss, ...params.flatMap((l) => [l.w, l.b]));
  });

  const f4 = (x: Array): Array => np.multiply(x, np.sin(x));
  const x4 = place(np.array(W4_X));
  const df4 = grad(f4);
  const df4Jit = jit(grad(f4));
  workloads.set("W4 grad(x·sin x) eager", () => read(df4(x4)));
  workloads.set("W4 grad(x·sin x) jit", () => read(df4Jit(x4)));

  const x5 = place(np.asArray(w5Input()));
  const df5Jit = jit(grad((x: Array) => np.sum(softplus(x))));
  workloads.set("W5 grad of custom softplus", () => read(df5Jit(x5)));

  const { lhs: lhsData, rhs: rhsData } = convInputs();
  const lhs6 = place(np.asArray(lhsData).reshape([...CONV_LHS]));
  const rhs6 = place(np.asArray(rhsData).reshape([...CONV_RHS]));
  workloads.set("W6 conv2d 3×3", () => read(lax.convGeneralDilated(lhs6, rhs6, [1, 1], "SAME")));

  return workloads;
}
