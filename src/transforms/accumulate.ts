/** Summing cotangents that reach the same value from several uses. */
import type { NdArray } from "../core/array.js";
import { add } from "../primitives/elementwise.js";

export function addCotangents(a: NdArray, b: NdArray): NdArray {
  return add(a, b);
}
