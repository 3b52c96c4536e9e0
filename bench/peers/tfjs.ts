/**
 * The compared workloads on TensorFlow.js with its WebAssembly backend (XNNPACK kernels; SIMD and threads as the
 * runtime allows, see `tfjsInfo()`). TensorFlow.js has no jit, so there is no "W4 jit" cell. Every iteration runs
 * inside `tf.tidy` or disposes what it replaced, so the number of live tensors stays flat.
 */
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { registerTfjsGradients } from "./tfjs-gradients.js";
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
  type Workloads,
} from "./workloads.js";

/** Runs `f` in a tidy scope and reads its outputs back; every tensor it made is freed. */
function tidyRead(f: () => tf.Tensor[]): Readout {
  let out: Readout = [];
  tf.tidy(() => {
    out = f().map((t) => t.dataSync());
  });
  return out;
}

/** sum(log1p(exp(sin(x)·x + 1)) · 0.5) */
const w2 = (x: tf.Tensor): tf.Tensor => tf.sum(tf.mul(tf.log1p(tf.exp(tf.add(tf.mul(tf.sin(x), x), 1))), 0.5));

/** Stable softplus max(x, 0) + log1p(exp(-|x|)), with the reverse rule dy·σ(x). */
const softplus = tf.customGrad((x, save) => {
  const t = x as tf.Tensor;
  (save as tf.GradSaveFunc)([t]);
  return {
    value: tf.add(tf.relu(t), tf.log1p(tf.exp(tf.neg(tf.abs(t))))),
    gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, tf.sigmoid(saved)),
  };
});

/** "wasm" with its SIMD and multithreading flags, for the report header. */
export function tfjsInfo(): string {
  const flag = (name: string): string => (tf.env().getBool(name) ? "yes" : "no");
  return `backend ${tf.getBackend()}, SIMD ${flag("WASM_HAS_SIMD_SUPPORT")}, threads ${flag("WASM_HAS_MULTITHREAD_SUPPORT")}`;
}

/** The number of live tensors, to show that iterations free everything they make. */
export const liveTensors = (): number => tf.memory().numTensors;

export async function setup(): Promise<Workloads> {
  const wasmDir = dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm"));
  setWasmPaths(`${wasmDir}/`);
  if (!(await tf.setBackend("wasm"))) throw new Error("TensorFlow.js: the wasm backend failed to initialise");
  await tf.ready();
  await registerTfjsGradients();
  const workloads: Workloads = new Map();

  const { a: aData, b: bData } = matmulInputs();
  const a = tf.tensor2d(aData, [MATMUL_N, MATMUL_N]);
  const b = tf.tensor2d(bData, [MATMUL_N, MATMUL_N]);
  workloads.set("W1 matmul 1024×1024", () => tidyRead(() => [tf.matMul(a, b)]));

  const x2 = tf.tensor1d(w2Input());
  const w2Vg = tf.valueAndGrad(w2);
  workloads.set("W2 forward", () => tidyRead(() => [w2(x2)]));
  workloads.set("W2 value-and-grad", () =>
    tidyRead(() => {
      const { value, grad } = w2Vg(x2);
      return [value, grad];
    }),
  );

  // W3: parameters as a flat list [w0, b0, w1, b1, w2, b2]; each step replaces them and frees the old ones.
  let params: tf.Tensor[] = mlpInit().flatMap((l) => [tf.tensor2d(l.w, [l.fanIn, l.fanOut]), tf.tensor1d(l.b)]);
  const batch = mlpBatch();
  const x3 = tf.tensor2d(batch.x, [batch.x.length / params[0].shape[0], params[0].shape[0]]);
  const y3 = tf.tensor2d(batch.y, [x3.shape[0], batch.y.length / x3.shape[0]]);
  const mlpLoss = (...p: tf.Tensor[]): tf.Tensor => {
    let h: tf.Tensor = x3;
    for (let i = 0; i < p.length; i += 2) {
      h = tf.add(tf.matMul(h, p[i]), p[i + 1]);
      if (i + 2 < p.length) h = tf.relu(h);
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(h), y3), -1)));
  };
  const mlpVg = tf.valueAndGrads(mlpLoss);
  workloads.set("W3 MLP SGD step", () => {
    const { loss, next } = tf.tidy(() => {
      const { value, grads } = mlpVg(params);
      return { loss: value, next: params.map((p, i) => tf.sub(p, tf.mul(grads[i], LEARNING_RATE))) };
    });
    tf.dispose(params);
    params = next;
    const out = [loss.dataSync(), ...params.map((p) => p.dataSync())];
    loss.dispose();
    return out;
  });

  const x4 = tf.scalar(W4_X);
  const df4 = tf.grad((x: tf.Tensor) => tf.mul(x, tf.sin(x)));
  workloads.set("W4 grad(x·sin x) eager", () => tidyRead(() => [df4(x4)]));

  const x5 = tf.tensor1d(w5Input());
  const df5 = tf.grad((x: tf.Tensor) => tf.sum(softplus(x)));
  workloads.set("W5 grad of custom softplus", () => tidyRead(() => [df5(x5)]));

  // TensorFlow.js convolves NHWC images with HWIO kernels: the NCHW images and the OIHW kernel are transposed once
  // here, and each call transposes its NHWC result back to NCHW, so that every library returns the same array.
  const { lhs: lhsData, rhs: rhsData } = convInputs();
  const lhs6 = tf.transpose(tf.tensor4d(lhsData, [...CONV_LHS]), [0, 2, 3, 1]) as tf.Tensor4D;
  const rhs6 = tf.transpose(tf.tensor4d(rhsData, [...CONV_RHS]), [2, 3, 1, 0]) as tf.Tensor4D;
  workloads.set("W6 conv2d 3×3", () => tidyRead(() => [tf.transpose(tf.conv2d(lhs6, rhs6, 1, "same"), [0, 3, 1, 2])]));

  return workloads;
}
