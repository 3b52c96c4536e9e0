/** Option cases for the convolutions and windowed reductions (lax, np.convolve/correlate, scipy.signal). */
import { lax, numpy as np, scipy } from "../../src/index.js";
import type { OptionTableEntry } from "./table.js";

const x = np.reshape(np.arange(32).astype("float32"), [1, 2, 4, 4]);
const k = np.reshape(np.arange(24).astype("float32"), [3, 2, 2, 2]);
const xt = np.reshape(np.arange(18).astype("float32"), [1, 3, 3, 2]); // NHWC
const kt = np.reshape(np.arange(16).astype("float32"), [2, 2, 2, 2]); // HWIO
const a = np.array([1, 2, -3, 4, 0.5]);
const v = np.array([0.5, -1, 2]);
const m = np.reshape(np.arange(12).astype("float32"), [3, 4]);
const mk = np.array([
  [1, -1],
  [2, 0.5],
]);

type Fn = (...args: unknown[]) => unknown;
const call =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    (f as Fn)(...required, ...o);

export const convOptions: OptionTableEntry[] = [
  {
    op: "lax.convGeneralDilated",
    call: call(
      lax.convGeneralDilated,
      x,
      k,
      [1, 1],
      [
        [1, 1],
        [0, 1],
      ],
    ),
    cases: [
      { positional: [[2, 1]], object: { lhsDilation: [2, 1] } },
      { positional: [null, [1, 2]], object: { rhsDilation: [1, 2] }, mixed: [[null], { rhsDilation: [1, 2] }] },
      {
        positional: [null, null, ["NCHW", "OIHW", "NHWC"]],
        object: { dimensionNumbers: ["NCHW", "OIHW", "NHWC"] },
      },
      { positional: [null, null, null, 1, 1], object: { featureGroupCount: 1, batchGroupCount: 1 } },
      {
        positional: [null, null, null, 1, 1, "HIGHEST", "float32"],
        object: { precision: "HIGHEST", preferredElementType: "float32" },
        mixed: [[null, null, null, 1], { batchGroupCount: 1, precision: "HIGHEST", preferredElementType: "float32" }],
      },
    ],
  },
  {
    op: "lax.conv",
    call: call(lax.conv, x, k, [1, 1], "SAME"),
    cases: [
      { positional: ["HIGH"], object: { precision: "HIGH" } },
      { positional: [null, "float32"], object: { preferredElementType: "float32" } },
    ],
  },
  {
    op: "lax.convTranspose",
    call: call(lax.convTranspose, xt, kt, [2, 2], "SAME"),
    cases: [
      { positional: [[2, 1]], object: { rhsDilation: [2, 1] } },
      {
        positional: [null, ["NHWC", "HWIO", "NHWC"], true],
        object: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], transposeKernel: true },
      },
      {
        positional: [null, null, false, "DEFAULT", "float32", true],
        object: {
          transposeKernel: false,
          precision: "DEFAULT",
          preferredElementType: "float32",
          useConsistentPadding: true,
        },
      },
    ],
  },
  {
    op: "lax.reduceWindow",
    call: call(lax.reduceWindow, m, -Infinity, "max", [2, 2], [1, 1], "VALID"),
    cases: [
      { positional: [[2, 1]], object: { baseDilation: [2, 1] } },
      { positional: [null, [1, 2]], object: { windowDilation: [1, 2] }, mixed: [[[1, 1]], { windowDilation: [1, 2] }] },
    ],
  },
  ...(["convolve", "correlate"] as const).map((op): OptionTableEntry => ({
    op,
    call: call(np[op], a, v),
    cases: [{ positional: ["same"], object: { mode: "same" } }],
    keywordOnly: [{ precision: "HIGHEST" }, { preferredElementType: "float32" }],
  })),
  ...(["convolve", "correlate"] as const).map((name): OptionTableEntry => ({
    op: `scipy.signal.${name}`,
    call: call(scipy.signal[name], m, mk),
    cases: [
      { positional: ["valid"], object: { mode: "valid" } },
      { positional: ["same", "direct", "HIGHEST"], object: { mode: "same", method: "direct", precision: "HIGHEST" } },
    ],
  })),
];
