/**
 * threefry2x32: the Threefry-2x32 block cipher with 20 rounds (Salmon et al.,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011), exactly as JAX's
 * `threefry2x32_p` computes it (`_threefry2x32_lowering`). Four uint32
 * operands (key0, key1, x0, x1), broadcast together like any elementwise
 * primitive; two uint32 outputs, the enciphered block (y0, y1). It lowers to
 * the routine "threefry2x32" (the cpu cipher is in backends/cpu/threefry.ts).
 */
import { ShapedArray } from "../core/aval.js";
import type { NdArray } from "../core/array.js";
import { DTypeError } from "../core/errors.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { alignElementwise } from "./batching.js";
import { broadcastShapes } from "./shapes.js";
import { lowerThreefry } from "../ir/stablehlo-threefry.js";

export const threefry2x32P: Primitive = defineMultiPrimitive({
  name: "threefry2x32",
  abstractEval(avals) {
    if (avals.length !== 4 || avals.some((a) => a.dtype !== "uint32")) {
      throw new DTypeError(
        `[threefry2x32] operands must be four uint32 arrays (key0, key1, x0, x1): got ${avals.map((a) => a.str()).join(", ")}, ` +
          `expected u32 operands. Convert with .astype("uint32"); random keys come from random.key(seed).`,
      );
    }
    const aval = new ShapedArray(broadcastShapes("threefry2x32", ...avals.map((a) => a.shape)), "uint32");
    return [aval, aval];
  },
  lower: () => ({ name: "threefry2x32" }),
  jvp: "zero",
  // Elementwise: align the batch axes first, both outputs are batched along 0.
  vmap: (args, dims) => [threefry2x32(...(alignElementwise(args, dims) as Quad)), [0, 0]],
  stablehlo: (c, xs) => lowerThreefry(c, xs),
});

type Quad = [NdArray, NdArray, NdArray, NdArray];

/** threefry2x32(key0, key1, x0, x1) → [y0, y1], broadcasting the four uint32 operands. */
export function threefry2x32(k0: NdArray, k1: NdArray, x0: NdArray, x1: NdArray): NdArray[] {
  return bind(threefry2x32P, [k0, k1, x0, x1]);
}
