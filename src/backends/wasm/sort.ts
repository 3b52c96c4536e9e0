/**
 * A stable sort of 32-bit keys (float32, int32, uint32) along one axis, for
 * the `sort` primitive: each key is mapped to an unsigned integer with the
 * same order as the reference comparison (NaNs of any sign or payload last and
 * equal to one another, -0 equal to +0), an index permutation is sorted by
 * least-significant-digit radix passes (8 bits at a time, key by key from the
 * last to the first, so several keys sort lexicographically), and every
 * operand is gathered through it. Lines shorter than `INSERTION_MAX` use an
 * insertion sort on the same keys.
 *
 * This runs on plain typed arrays: radix passes are scalar scatters with
 * data-dependent addresses, and the operands need no copy into WebAssembly
 * memory and back.
 */
import type { TypedArray } from "../../core/dtypes.js";

/** Lines shorter than this are insertion-sorted. */
const INSERTION_MAX = 64;

/** Key dtypes the radix sort handles. */
export type RadixKeyType = "float32" | "int32" | "uint32";

/**
 * Writes the order-preserving unsigned keys of line `src[base + k * stride]`,
 * k < n, into `out` (the reference's order: NaN last, every NaN equal, -0 = +0).
 */
function mapKeys(
  type: RadixKeyType,
  bits: Uint32Array,
  base: number,
  stride: number,
  n: number,
  out: Uint32Array,
): void {
  if (type === "uint32") {
    for (let k = 0, at = base; k < n; k++, at += stride) out[k] = bits[at];
  } else if (type === "int32") {
    for (let k = 0, at = base; k < n; k++, at += stride) out[k] = (bits[at] ^ 0x80000000) >>> 0;
  } else {
    for (let k = 0, at = base; k < n; k++, at += stride) {
      const u = bits[at];
      const a = u & 0x7fffffff;
      out[k] = a > 0x7f800000 ? 0xffffffff : a === 0 ? 0x80000000 : u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
    }
  }
}

/** Scratch arrays, grown as needed and reused between calls. */
let scratch = {
  cap: 0,
  keys: new Uint32Array(0),
  keys2: new Uint32Array(0),
  perm: new Int32Array(0),
  perm2: new Int32Array(0),
  line: new Uint32Array(0),
};
const counts = new Int32Array(4 * 256);

function ensure(n: number, numKeys: number): void {
  if (scratch.cap >= n && scratch.line.length >= n * numKeys) return;
  const cap = Math.max(n, scratch.cap);
  scratch = {
    cap,
    keys: new Uint32Array(cap),
    keys2: new Uint32Array(cap),
    perm: new Int32Array(cap),
    perm2: new Int32Array(cap),
    line: new Uint32Array(cap * numKeys),
  };
}

/**
 * Sorts `perm` (length n, any start order) stably by `keys[perm[k]]`-ordered
 * values held alongside: on entry `keys[k]` is the key of `perm[k]`. Returns
 * the array (perm or the second scratch) that holds the result.
 */
function radixPasses(n: number, keysIn: Uint32Array, permIn: Int32Array): Int32Array {
  counts.fill(0);
  for (let k = 0; k < n; k++) {
    const v = keysIn[k];
    counts[v & 255]++;
    counts[256 + ((v >>> 8) & 255)]++;
    counts[512 + ((v >>> 16) & 255)]++;
    counts[768 + (v >>> 24)]++;
  }
  let keys: Uint32Array = keysIn;
  let perm: Int32Array = permIn;
  let keys2: Uint32Array = keys === scratch.keys ? scratch.keys2 : scratch.keys;
  let perm2: Int32Array = perm === scratch.perm ? scratch.perm2 : scratch.perm;
  for (let pass = 0; pass < 4; pass++) {
    const c = pass * 256;
    const shift = pass * 8;
    // A digit every key shares leaves the order as it is.
    if (counts[c + ((keys[0] >>> shift) & 255)] === n) continue;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const t = counts[c + d];
      counts[c + d] = sum;
      sum += t;
    }
    for (let k = 0; k < n; k++) {
      const v = keys[k];
      const to = counts[c + ((v >>> shift) & 255)]++;
      keys2[to] = v;
      perm2[to] = perm[k];
    }
    [keys, keys2] = [keys2, keys];
    [perm, perm2] = [perm2, perm];
  }
  return perm;
}

/**
 * Sorts every line along the axis of extent `n` (with `inner` elements after
 * it, `outer` lines before) of `operands`, ordered by the first `numKeys`
 * (each of a `RadixKeyType`), stably; writes the sorted operands to `outs`.
 */
export function radixSortLines(
  keyTypes: readonly RadixKeyType[],
  operands: readonly TypedArray[],
  outs: TypedArray[],
  outer: number,
  n: number,
  inner: number,
): void {
  const numKeys = keyTypes.length;
  ensure(n, numKeys);
  const bits = operands
    .slice(0, numKeys)
    .map((a) => (a instanceof Uint32Array ? a : new Uint32Array(a.buffer, a.byteOffset, a.length)));
  const line = scratch.line;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let key = 0; key < numKeys; key++) {
        mapKeys(keyTypes[key], bits[key], base, inner, n, line.subarray(key * n, key * n + n));
      }
      let perm: Int32Array;
      if (n < INSERTION_MAX) {
        perm = scratch.perm;
        insertionSort(line, numKeys, n, perm);
      } else {
        perm = scratch.perm;
        for (let k = 0; k < n; k++) perm[k] = k;
        for (let key = numKeys - 1; key >= 0; key--) {
          const keys = scratch.keys;
          if (key === numKeys - 1) keys.set(line.subarray(key * n, key * n + n));
          else for (let k = 0; k < n; k++) keys[k] = line[key * n + perm[k]];
          perm = radixPasses(n, keys, perm);
          if (perm !== scratch.perm) {
            scratch.perm.set(perm.subarray(0, n));
            perm = scratch.perm;
          }
        }
      }
      for (let j = 0; j < operands.length; j++) {
        const src = operands[j];
        const out = outs[j];
        if (inner === 1) for (let k = 0; k < n; k++) out[base + k] = src[base + perm[k]];
        else for (let k = 0; k < n; k++) out[base + k * inner] = src[base + perm[k] * inner];
      }
    }
  }
}

/** Stable insertion sort of the indices 0..n-1 into `perm` by the keys in `line` (key j at j * n). */
function insertionSort(line: Uint32Array, numKeys: number, n: number, perm: Int32Array): void {
  for (let k = 0; k < n; k++) {
    let j = k;
    while (j > 0 && less(line, numKeys, n, k, perm[j - 1])) {
      perm[j] = perm[j - 1];
      j--;
    }
    perm[j] = k;
  }
}

function less(line: Uint32Array, numKeys: number, n: number, p: number, q: number): boolean {
  for (let key = 0, off = 0; key < numKeys; key++, off += n) {
    const a = line[off + p];
    const b = line[off + q];
    if (a !== b) return a < b;
  }
  return false;
}
