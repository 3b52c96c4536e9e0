/**
 * threefry2x32 on the cpu: the Threefry-2x32 block cipher with 20 rounds
 * (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011),
 * exactly as JAX's `_threefry2x32_lowering` computes it, on four broadcast
 * uint32 operands (key0, key1, x0, x1). All arithmetic is mod 2³²: every sum
 * is brought back with `>>> 0`.
 */
import { shapeSize } from "../../core/aval.js";
import { outputBuffer } from "../../core/buffers.js";
import { broadcastStrides, forEachStrided } from "./strided.js";
import type { CpuRoutines } from "./table.js";

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

export const threefryRoutines: Pick<CpuRoutines, "threefry2x32"> = {
  threefry2x32: (_r, args, [o]) => {
    const shape = o.shape;
    const n = shapeSize(shape);
    const y0 = outputBuffer("uint32", n);
    const y1 = outputBuffer("uint32", n);
    const src = args.map((a) => a._data!);
    const strides = args.map((a) => broadcastStrides(a.aval.shape, shape));
    const block = new Uint32Array(2);
    forEachStrided(shape, strides, (i, off) => {
      threefryBlock(src[0][off[0]], src[1][off[1]], src[2][off[2]], src[3][off[3]], block);
      y0[i] = block[0];
      y1[i] = block[1];
    });
    return [y0, y1];
  },
};
