/** `nextafter(x, ±∞)` by stepping the bit pattern, for truncatedNormal's open interval. */
import type { NdArray } from "../core/array.js";
import { add, convert, eq, gt, ne, or, scalarLike, selectN, sub } from "../primitives/elementwise.js";
import { bitcast } from "../primitives/bitcast.js";
import { sliceAxis } from "../primitives/slicing.js";
import { reshape } from "../primitives/structural.js";
import { stackLast } from "./bits.js";

const c = scalarLike;

/** Adds ±1 to an unsigned integer spread over uint32 words [..., 0] = low, [..., 1] = high (or one word). */
function stepWords(words: NdArray, delta: 1 | -1, wide: boolean): NdArray {
  const one = c(1, words);
  const move = delta > 0 ? add : sub;
  if (!wide) return move(words, one);
  const last = words.ndim - 1;
  const lo = reshape(sliceAxis(words, last, 0, 1), words.aval.shape.slice(0, -1));
  const hi = reshape(sliceAxis(words, last, 1, 2), words.aval.shape.slice(0, -1));
  // The carry (or borrow) crosses into the high word when the low word wraps.
  const wraps = eq(lo, c(delta > 0 ? 0xffffffff : 0, lo));
  return stackLast([move(lo, one), move(hi, convert(wraps, "uint32"))]);
}

/**
 * The next float after x toward +∞ (direction 1) or -∞ (direction -1), as
 * `np.nextafter`: ±0 steps to the smallest subnormal, ±∞ in its own direction
 * and NaN stay. Elsewhere the magnitude's bit pattern steps by one: up when
 * moving away from zero, down when moving toward it.
 */
export function nextAfter(x: NdArray, direction: 1 | -1): NdArray {
  const wide = x.dtype === "float64";
  const words = bitcast(x, "uint32");
  const away = direction > 0 ? gt(x, c(0, x)) : gt(c(0, x), x);
  const awayWords = away.ndim === words.ndim ? away : reshape(away, [...away.aval.shape, 1]);
  const stepped = bitcast(selectN(awayWords, [stepWords(words, -1, wide), stepWords(words, 1, wide)]), x.dtype);
  const denormMin = c(direction * (wide ? 2 ** -1074 : 2 ** -149), x);
  const fromZero = selectN(eq(x, c(0, x)), [stepped, denormMin]);
  const stays = or(ne(x, x), eq(x, c(direction * Infinity, x)));
  return selectN(stays, [fromZero, x]);
}
