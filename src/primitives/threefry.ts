/**
 * threefry2x32: the Threefry-2x32 block cipher with 20 rounds (Salmon et al.,
 * "Parallel random numbers: as easy as 1, 2, 3", SC 2011), exactly as JAX's
 * `threefry2x32_p` computes it (`_threefry2x32_lowering`). Four uint32
 * operands (key0, key1, x0, x1), broadcast together like any elementwise
 * primitive; two uint32 outputs, the enciphered block (y0, y1).
 *
 * All arithmetic is mod 2³²: every sum is brought back with `>>> 0`.
 */
import { ShapedArray, shapeSize } from "../core/aval.js";
import { hostArray, NdArray } from "../core/array.js";
import { DTypeError } from "../core/errors.js";
import { defineMultiPrimitive, type Primitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { broadcastStrides, forEachStrided } from "../backends/cpu/strided.js";
import { alignElementwise } from "./batching.js";
import { broadcastShapes } from "./shapes.js";

/** Rotation distances of the even (0, 2, 4) and odd (1, 3) groups of four rounds. */
const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
];
/** Skein's key-schedule parity constant: ks[2] = k0 ^ k1 ^ C240. */
const C240 = 0x1bd11bda;

const rotl = (x: number, d: number): number => ((x << d) | (x >>> (32 - d))) >>> 0;

/**
 * Enciphers one block. After the initial key injection, five groups of four
 * rounds (v0 += v1; v1 = rotl(v1, r) ^ v0), each followed by the injection of
 * key words ks[(g+1)%3], ks[(g+2)%3] and the group counter g+1.
 */
export function threefryBlock(k0: number, k1: number, x0: number, x1: number, out: Uint32Array): void {
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ C240) >>> 0];
  let v0 = (x0 + ks[0]) >>> 0;
  let v1 = (x1 + ks[1]) >>> 0;
  for (let g = 0; g < 5; g++) {
    for (const r of ROTATIONS[g % 2]) {
      v0 = (v0 + v1) >>> 0;
      v1 = (rotl(v1, r) ^ v0) >>> 0;
    }
    v0 = (v0 + ks[(g + 1) % 3]) >>> 0;
    v1 = (v1 + ks[(g + 2) % 3] + g + 1) >>> 0;
  }
  out[0] = v0;
  out[1] = v1;
}

function threefryKernel(args: NdArray[]): NdArray[] {
  const shape = broadcastShapes("threefry2x32", ...args.map((a) => a.aval.shape));
  const n = shapeSize(shape);
  const y0 = new Uint32Array(n);
  const y1 = new Uint32Array(n);
  const src = args.map((a) => a._data!);
  const strides = args.map((a) => broadcastStrides(a.aval.shape, shape));
  const block = new Uint32Array(2);
  forEachStrided(shape, strides, (i, o) => {
    threefryBlock(src[0][o[0]], src[1][o[1]], src[2][o[2]], src[3][o[3]], block);
    y0[i] = block[0];
    y1[i] = block[1];
  });
  const aval = new ShapedArray(shape, "uint32");
  return [hostArray(aval, y0), hostArray(aval, y1)];
}

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
  impl: threefryKernel,
  jvp: "nondifferentiable",
  // Elementwise: align the batch axes first, both outputs are batched along 0.
  vmap: (args, dims) => [threefry2x32(...(alignElementwise(args, dims) as Quad)), [0, 0]],
});

type Quad = [NdArray, NdArray, NdArray, NdArray];

/** threefry2x32(key0, key1, x0, x1) → [y0, y1], broadcasting the four uint32 operands. */
export function threefry2x32(k0: NdArray, k1: NdArray, x0: NdArray, x1: NdArray): NdArray[] {
  return bind(threefry2x32P, [k0, k1, x0, x1]);
}
