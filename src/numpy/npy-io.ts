/**
 * `np.save`, `np.load`, `np.savez`, `np.savezCompressed`: NumPy's `.npy` and `.npz` files,
 * from a path in Node (`node:fs/promises`, imported on first use) or as bytes anywhere
 * (`np.saveBytes`, `np.savezBytes`, `np.load(uint8array)`). A pytree saves to one `.npz`,
 * each array named by its key path joined with "/" ("layers/0/w"); `NpzFile.toTree()`
 * rebuilds the structure.
 */
import { NdArray, type ArrayLike } from "../core/array.js";
import { ArgumentTypeError } from "../core/errors.js";
import { describeValue, isPlainObject, noExtraArgs } from "../core/options.js";
import { decodeNpy, encodeNpy, NpyFormatError } from "./npy-format.js";
import { isNode, isZip, nodeModule, readZip, writeZip, writeZipStored, type ZipEntry } from "./npz-zip.js";

export { NpyFormatError };

type Fs = typeof import("node:fs/promises");

/** What `np.load` reads: a path (Node) or the file's bytes. */
export type NpySource = string | Uint8Array | ArrayBuffer;

/** The separator between the keys of a path in `.npz` names. */
const SEP = "/";

function checkPath(op: string, file: unknown, ext: readonly string[]): string {
  if (typeof file !== "string") {
    throw new ArgumentTypeError(
      `[${op}] file must be a path string: got ${describeValue(file)}, expected e.g. "weights${ext[0]}". For bytes use np.${op === "save" ? "saveBytes" : "savezBytes"}.`,
    );
  }
  if (!ext.some((e) => file.endsWith(e))) {
    throw new ArgumentTypeError(
      `[${op}] the path must end in ${ext.join(" or ")}: got ${JSON.stringify(file)}. cotangent does not append the extension as NumPy does, so the name you pass is the file written.`,
    );
  }
  if (!isNode()) {
    throw new ArgumentTypeError(
      `[${op}] file paths need Node (node:fs): got ${JSON.stringify(file)} outside Node. In a browser, pass or receive bytes: np.saveBytes(arr), np.savezBytes(tree), np.load(uint8array).`,
    );
  }
  return file;
}

async function writeFile(path: string, bytes: Uint8Array | Promise<Uint8Array>): Promise<void> {
  const fs = await nodeModule<Fs>("fs/promises");
  await fs.writeFile(path, await bytes);
}

/**
 * `numpy.save(file, arr)` (`jnp.save`): writes one array as `.npy` (format 1.0; 2.0 for headers over 64 KiB).
 * Node only; the path must end in ".npy". Resolves when the file is written.
 *
 * @example
 * await np.save("/tmp/w.npy", np.arange(6).reshape([2, 3]));
 */
export function save(file: string, arr: ArrayLike, ...rest: []): Promise<void> {
  noExtraArgs("save", rest);
  const path = checkPath("save", file, [".npy"]);
  return writeFile(path, encodeNpy("save", arr));
}

/**
 * No JAX twin (`numpy.save` to an `io.BytesIO`): the `.npy` bytes of one array, anywhere.
 *
 * @example
 * const bytes = np.saveBytes(np.array([1, 2, 3]));
 * await np.load(bytes); // [1, 2, 3]
 */
export function saveBytes(arr: ArrayLike, ...rest: []): Uint8Array {
  noExtraArgs("saveBytes", rest);
  return encodeNpy("saveBytes", arr);
}

/** The arrays of a pytree (plain objects, JS arrays, Arrays and numbers), named by key path. */
function namedLeaves(op: string, tree: unknown): ZipEntry[] {
  const out: ZipEntry[] = [];
  const walk = (x: unknown, path: string[]): void => {
    if (x instanceof NdArray || typeof x === "number" || typeof x === "boolean") {
      const name = path.length === 0 ? "arr_0" : path.join(SEP);
      out.push({ name: `${name}.npy`, data: encodeNpy(op, x as ArrayLike) });
    } else if (Array.isArray(x)) {
      x.forEach((v, i) => walk(v, [...path, String(i)]));
    } else if (isPlainObject(x)) {
      for (const [k, v] of Object.entries(x)) {
        if (k === "" || k.includes(SEP)) {
          throw new ArgumentTypeError(
            `[${op}] a key of the tree cannot be empty or contain "${SEP}" (it separates the key path in names): got ${JSON.stringify(k)} at ${JSON.stringify(path.join(SEP))}.`,
          );
        }
        walk(v, [...path, k]);
      }
    } else {
      throw new ArgumentTypeError(
        `[${op}] the tree's leaves must be Arrays or numbers: got ${describeValue(x)} at ${JSON.stringify(path.join(SEP) || "(root)")}, expected nested objects and lists of Arrays.`,
      );
    }
  };
  walk(tree, []);
  return out;
}

/**
 * `numpy.savez(file, **arrays)` (`jnp.savez`): writes a pytree of arrays (or one array, named "arr_0") as an
 * uncompressed `.npz`, each array named by its key path joined with "/". Node only; the
 * path must end in ".npz".
 *
 * @example
 * await np.savez("/tmp/params.npz", { dense: { w, b } }); // entries "dense/w.npy", "dense/b.npy"
 */
export function savez(file: string, tree: unknown, ...rest: []): Promise<void> {
  noExtraArgs("savez", rest);
  const path = checkPath("savez", file, [".npz"]);
  return writeFile(path, writeZipStored(namedLeaves("savez", tree)));
}

/**
 * `numpy.savez_compressed(file, **arrays)`: {@link savez} with deflate-compressed entries.
 *
 * @example
 * await np.savezCompressed("/tmp/params.npz", params);
 */
export function savezCompressed(file: string, tree: unknown, ...rest: []): Promise<void> {
  noExtraArgs("savezCompressed", rest);
  const path = checkPath("savezCompressed", file, [".npz"]);
  return writeFile(path, writeZip(namedLeaves("savezCompressed", tree), true));
}

/**
 * No JAX twin (`numpy.savez` to an `io.BytesIO`): the uncompressed `.npz` bytes of a pytree, anywhere.
 *
 * @example
 * const bytes = np.savezBytes({ w: np.ones([2, 2]) });
 * (await np.load(bytes)).get("w");
 */
export function savezBytes(tree: unknown, ...rest: []): Uint8Array {
  noExtraArgs("savezBytes", rest);
  return writeZipStored(namedLeaves("savezBytes", tree));
}

/**
 * No JAX twin (`numpy.savez_compressed` to an `io.BytesIO`): deflated `.npz` bytes, anywhere.
 *
 * @example
 * const bytes = await np.savezCompressedBytes({ w: np.zeros([100]) });
 */
export function savezCompressedBytes(tree: unknown, ...rest: []): Promise<Uint8Array> {
  noExtraArgs("savezCompressedBytes", rest);
  return writeZip(namedLeaves("savezCompressedBytes", tree), true);
}

/**
 * `numpy.lib.npyio.NpzFile`: the arrays of a `.npz`, by name (without ".npy").
 *
 * @example
 * const npz = await np.load("/tmp/params.npz");
 * npz.files; // ["dense/w", "dense/b"]
 * npz.get("dense/w");
 * npz.toTree(); // { dense: { w, b } }
 */
export class NpzFile {
  /** The array names, in the archive's order (NumPy's `NpzFile.files`). */
  readonly files: string[];
  private readonly entries: Map<string, Uint8Array>;

  constructor(entries: ZipEntry[]) {
    this.entries = new Map(entries.map((e) => [e.name.replace(/\.npy$/, ""), e.data]));
    this.files = [...this.entries.keys()];
  }

  /** The names (NumPy's `npz.keys()`). */
  keys(): string[] {
    return [...this.files];
  }

  /** The array named `name` (NumPy's `npz[name]`). */
  get(name: string): NdArray {
    const data = this.entries.get(name);
    if (data === undefined) {
      throw new ArgumentTypeError(
        `[NpzFile.get] no array named ${typeof name === "string" ? JSON.stringify(name) : describeValue(name)}: expected one of ${this.files.map((f) => JSON.stringify(f)).join(", ") || "(none: the archive is empty)"}.`,
      );
    }
    return decodeNpy(`NpzFile.get("${name}")`, data);
  }

  /**
   * The pytree the names describe ("a/0/w" → `{ a: [{ w }] }`). Without `like`, an object
   * whose keys are exactly 0, 1, …, n-1 becomes a JS array and a lone "arr_0" the array
   * itself; with `like`, the structure is `like`'s, its leaves replaced by the arrays at
   * the same key paths.
   */
  toTree(like?: unknown): unknown {
    if (like !== undefined) return this.fill(like, []);
    if (this.files.length === 1 && this.files[0] === "arr_0") return this.get("arr_0");
    const root: Record<string, unknown> = {};
    for (const name of this.files) {
      const parts = name.split(SEP);
      let node = root;
      parts.slice(0, -1).forEach((k) => {
        if (!isPlainObject(node[k])) node[k] = {};
        node = node[k] as Record<string, unknown>;
      });
      node[parts[parts.length - 1]] = this.get(name);
    }
    return listsOf(root);
  }

  private fill(like: unknown, path: string[]): unknown {
    if (Array.isArray(like)) return like.map((v, i) => this.fill(v, [...path, String(i)]));
    if (isPlainObject(like)) {
      return Object.fromEntries(Object.entries(like).map(([k, v]) => [k, this.fill(v, [...path, k])]));
    }
    return this.get(path.length === 0 ? "arr_0" : path.join(SEP));
  }
}

/** Objects keyed 0..n-1 become JS arrays, recursively. */
function listsOf(x: unknown): unknown {
  if (!isPlainObject(x)) return x;
  const keys = Object.keys(x);
  const entries = keys.map((k) => [k, listsOf(x[k])] as const);
  const isList = keys.length > 0 && keys.every((k, i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

/**
 * `numpy.load(file)` (`jnp.load`): the array in a `.npy`, or an {@link NpzFile} for a `.npz` (zip). `source`
 * is a path in Node (ending in ".npy" or ".npz") or the file's bytes anywhere. Reads format
 * 1.0-3.0, C and Fortran order, either byte order; bool, (u)int8/16/32, float16/32/64, and
 * (u)int64 whose values fit 32 bits. Object arrays (pickles) are refused.
 *
 * @example
 * const w = await np.load("/tmp/w.npy");
 * const npz = await np.load("/tmp/params.npz");
 * const params = npz.toTree();
 */
export function load(source: `${string}.npy`, ...rest: []): Promise<NdArray>;
export function load(source: `${string}.npz`, ...rest: []): Promise<NpzFile>;
export function load(source: NpySource, ...rest: []): Promise<NdArray | NpzFile>;
export function load(source: NpySource, ...rest: []): Promise<NdArray | NpzFile> {
  noExtraArgs("load", rest);
  if (typeof source === "string") {
    const path = checkPath("load", source, [".npy", ".npz"]);
    return nodeModule<Fs>("fs/promises")
      .then((fs) => fs.readFile(path))
      .then((buf) => fromBytes(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
  }
  if (source instanceof ArrayBuffer) return fromBytes(new Uint8Array(source));
  if (source instanceof Uint8Array) return fromBytes(source);
  throw new ArgumentTypeError(
    `[load] source must be a path, a Uint8Array or an ArrayBuffer: got ${describeValue(source)}.`,
  );
}

/** The array or archive in the bytes; a malformed file rejects the promise. */
async function fromBytes(bytes: Uint8Array): Promise<NdArray | NpzFile> {
  if (isZip(bytes)) return new NpzFile(await readZip("load", bytes));
  return decodeNpy("load", bytes);
}
