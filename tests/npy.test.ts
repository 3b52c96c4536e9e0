/**
 * np.save / np.load / np.savez: NumPy's .npy and .npz formats. Files written by NumPy (python3) load with
 * their values, dtypes and shapes (every dtype cotangent reads, Fortran order, big-endian, 0-d, empty,
 * format versions 1.0-3.0, savez and savez_compressed); files cotangent writes load in NumPy; pytrees
 * round trip; malformed files give typed errors.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  ArgumentTypeError,
  config,
  DTypeError,
  numpy as np,
  OptionError,
  type Array as NdArray,
} from "../src/index.js";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { crc32, viaStream } from "../src/numpy/npz-zip.js";

const dir = mkdtempSync(join(tmpdir(), "cotangent-npy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => config.update("enableX64", false));

const python = (script: string): string => execFileSync("python3", ["-c", script], { cwd: dir, encoding: "utf8" });
const values = (a: NdArray): number[] => Array.from(a.dataSync() as ArrayLike<number>);
const p = (name: string) => join(dir, name);

interface Expected {
  dtype: string;
  shape: number[];
  values: (number | string | null)[];
}
/** Python's JSON of floats: NaN as null, ±inf as strings. */
const decode = (v: number | string | null): number =>
  v === null ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

// NumPy writes one file per case and a manifest of each array's C-order values.
const CASES = `
import json, numpy as np
from numpy.lib import format as F
enc = lambda x: None if x != x else "inf" if x == float("inf") else "-inf" if x == -float("inf") else x
a = np.arange(6).reshape(2, 3)
cases = {
  "f4": (a / 4 - 0.5).astype("<f4"), "f8": (a / 3).astype("<f8"), "i4": (a - 3).astype("<i4"),
  "u4": (a * 1000000000).astype("<u4"), "b1": a % 2 == 0, "i1": (a - 3).astype("i1"), "u1": (a * 40).astype("u1"),
  "i2": (a * -1000).astype("<i2"), "u2": (a * 10000).astype("<u2"), "i8": (a - 2**31 + 3).astype("<i8"),
  "u8": (a + 2**32 - 6).astype("<u8"), "f2": (a / 8 - 0.25).astype("<f2"),
  "be_f4": (a / 4).astype(">f4"), "be_i4": (a - 3).astype(">i4"), "be_f8": (a / 3).astype(">f8"),
  "be_u2": (a * 300).astype(">u2"),
  "fortran2": np.asfortranarray((np.arange(12).reshape(3, 4)).astype("<f4")),
  "fortran3": np.asfortranarray((np.arange(24).reshape(2, 3, 4)).astype("<i4")),
  "scalar": np.array(2.5, "<f4"), "empty": np.zeros((0, 3), "<f4"), "empty1": np.zeros((0,), "<i4"),
  "specials": np.array([np.nan, np.inf, -np.inf, -0.0], "<f4"),
}
manifest = {}
for k, v in cases.items():
  np.save(k + ".npy", v)
  manifest[k] = {"dtype": v.dtype.str, "shape": list(v.shape),
                 "values": [enc(x) for x in np.ascontiguousarray(v).astype(float).ravel().tolist()]}
for ver in [(2, 0), (3, 0)]:
  with open("v%d.npy" % ver[0], "wb") as f: F.write_array(f, a.astype("<f4"), version=ver)
np.savez("plain.npz", a=a.astype("<f4"), b=np.array([True, False]))
np.savez_compressed("packed.npz", **{"dense/w": a.astype("<f4"), "dense/b": np.arange(3, dtype="<i4")})
np.save("complex.npy", np.array([1 + 2j], "c8"))
np.save("object.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
np.save("bigint.npy", np.array([2**40], "<i8"))
np.save("record.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
np.save("unicode.npy", np.array(["abc"]))
print(json.dumps(manifest))
`;
const manifest = JSON.parse(python(CASES)) as Record<string, Expected>;
const expectedValues = (e: Expected) => e.values.map(decode);

describe("np.load: files written by NumPy", () => {
  const dtypeOf: Record<string, string> = {
    "<f4": "float32",
    "<f8": "float64",
    ">f8": "float64",
    "<i4": "int32",
    ">i4": "int32",
    "<u4": "uint32",
    "|b1": "bool",
    "|i1": "int32",
    "|u1": "int32",
    "<i2": "int32",
    "<u2": "int32",
    ">u2": "int32",
    "<i8": "int32",
    "<u8": "uint32",
    "<f2": "float32",
    ">f4": "float32",
  };
  it.each(Object.keys(manifest))("%s", async (name) => {
    config.update("enableX64", true); // float64 files stay float64
    const e = manifest[name];
    const a = await np.load(p(`${name}.npy`) as `${string}.npy`);
    expect(a.shape).toEqual(e.shape);
    expect(a.dtype).toBe(dtypeOf[e.dtype]);
    // Exact: every stored value is representable in the dtype it loads as (float16 in float32 exactly).
    expect(values(a)).toEqual(expectedValues(e).map((v) => (dtypeOf[e.dtype] === "bool" ? Number(v) : v)));
  });
  it("format versions 2.0 and 3.0", async () => {
    for (const v of ["v2", "v3"])
      expect(values(await np.load(p(`${v}.npy`) as `${string}.npy`))).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it("float64 files load as float32 without enableX64, as jnp.asarray does", async () => {
    const a = (await np.load(p("f8.npy"))) as NdArray;
    expect(a.dtype).toBe("float32");
  });
  it("savez and savez_compressed archives", async () => {
    const plain = await np.load(p("plain.npz") as `${string}.npz`);
    expect(plain.files).toEqual(["a", "b"]);
    expect(values(plain.get("b"))).toEqual([1, 0]);
    expect(plain.get("b").dtype).toBe("bool");
    const packed = await np.load(p("packed.npz") as `${string}.npz`);
    const tree = packed.toTree() as { dense: { w: NdArray; b: NdArray } };
    expect(values(tree.dense.w)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tree.dense.w.shape).toEqual([2, 3]);
    expect(values(tree.dense.b)).toEqual([0, 1, 2]);
  });
  it("refuses what cotangent cannot hold, naming the dtype", async () => {
    await expect(np.load(p("complex.npy"))).rejects.toThrow(DTypeError);
    await expect(np.load(p("complex.npy"))).rejects.toThrow(/unsupported dtype '<c8': expected one of bool/);
    await expect(np.load(p("object.npy"))).rejects.toThrow(/object arrays \(pickled Python objects\) are refused/);
    await expect(np.load(p("bigint.npy"))).rejects.toThrow(/'<i8' value does not fit in int32: got 1099511627776/);
    await expect(np.load(p("record.npy"))).rejects.toThrow(/structured \(record\) dtypes are not supported/);
    await expect(np.load(p("unicode.npy"))).rejects.toThrow(/unsupported dtype '<U3'/);
  });
});

describe("np.save / np.savez: files NumPy reads", () => {
  const READ = (files: string[]) => `
import json, numpy as np
enc = lambda x: None if x != x else "inf" if x == float("inf") else "-inf" if x == -float("inf") else x
out = {}
for f in ${JSON.stringify(files)}:
  d = np.load(f)
  items = d.items() if f.endswith(".npz") else [(f, d)]
  for k, v in items:
    out[f + ":" + k if f.endswith(".npz") else f] = [v.dtype.str, list(v.shape), [enc(x) for x in v.astype(float).ravel().tolist()]]
print(json.dumps(out))
`;
  it("every dtype, 0-d, empty, npz and compressed npz", async () => {
    const x = np.array([
      [1.5, -2, NaN],
      [Infinity, 0, 7],
    ]);
    await np.save(p("c_f4.npy"), x);
    await np.save(p("c_i4.npy"), np.array([-3, 4], { dtype: "int32" }));
    await np.save(p("c_u4.npy"), np.array([4000000000], { dtype: "uint32" }));
    await np.save(p("c_b1.npy"), np.array([true, false, true]));
    await np.save(p("c_0d.npy"), np.array(3));
    await np.save(p("c_empty.npy"), np.zeros([0, 2]));
    config.update("enableX64", true);
    await np.save(p("c_f8.npy"), np.array([Math.PI]));
    config.update("enableX64", false);
    const params = { dense: { w: np.ones([2, 2]), b: np.zeros([2]) }, layers: [np.array([1, 2])] };
    await np.savez(p("c_tree.npz"), params);
    await np.savezCompressed(p("c_packed.npz"), { w: np.arange(1000).astype("float32") });
    const got = JSON.parse(
      python(
        READ([
          "c_f4.npy",
          "c_i4.npy",
          "c_u4.npy",
          "c_b1.npy",
          "c_0d.npy",
          "c_empty.npy",
          "c_f8.npy",
          "c_tree.npz",
          "c_packed.npz",
        ]),
      ),
    ) as Record<string, [string, number[], (number | null)[]]>;
    expect(got["c_f4.npy"]).toEqual(["<f4", [2, 3], [1.5, -2, null, "inf", 0, 7]]);
    expect(got["c_i4.npy"]).toEqual(["<i4", [2], [-3, 4]]);
    expect(got["c_u4.npy"]).toEqual(["<u4", [1], [4000000000]]);
    expect(got["c_b1.npy"]).toEqual(["|b1", [3], [1, 0, 1]]);
    expect(got["c_0d.npy"]).toEqual(["<f4", [], [3]]);
    expect(got["c_empty.npy"]).toEqual(["<f4", [0, 2], []]);
    expect(got["c_f8.npy"]).toEqual(["<f8", [1], [Math.PI]]);
    expect(got["c_tree.npz:dense/w"]).toEqual(["<f4", [2, 2], [1, 1, 1, 1]]);
    expect(got["c_tree.npz:dense/b"]).toEqual(["<f4", [2], [0, 0]]);
    expect(got["c_tree.npz:layers/0"]).toEqual(["<f4", [2], [1, 2]]);
    expect(got["c_packed.npz:w"][2]).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // Compressed: 1000 float32 arange values deflate well below their 4000 bytes.
    expect(readFileSync(p("c_packed.npz")).length).toBeLessThan(3000);
  });
  it("headers are padded to 64 bytes and end in a newline (format 1.0)", () => {
    const b = np.saveBytes(np.zeros([3]));
    const headerLen = b[8] | (b[9] << 8);
    expect((10 + headerLen) % 64).toBe(0);
    expect(b[9 + headerLen]).toBe(0x0a);
    expect(b[6]).toBe(1);
  });
  it("a header over 65535 bytes is written as format 2.0 (4-byte length), still 64-byte aligned", async () => {
    // 22000 axes of length 1: the shape text alone is 66000 bytes (NumPy itself caps ndim at 64,
    // so only cotangent reads this one back).
    const b = np.saveBytes(np.zeros(Array.from({ length: 22000 }, () => 1)));
    expect(b[6]).toBe(2);
    const headerLen = new DataView(b.buffer).getUint32(8, true);
    expect((12 + headerLen) % 64).toBe(0);
    expect(((await np.load(b)) as NdArray).ndim).toBe(22000);
  });
  it("reads from a Node Buffer (a view into a shared pool)", async () => {
    expect(values((await np.load(readFileSync(p("v2.npy")))) as NdArray)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("pytrees and the bytes API", () => {
  const params = {
    layers: [
      {
        w: np.array([
          [1, 2],
          [3, 4],
        ]),
        b: np.array([0.5, -0.5]),
      },
      { w: np.array([[5], [6]]), b: np.array([1]) },
    ],
    scale: np.array(2),
  };
  it("savezBytes → load → toTree restores objects and lists", async () => {
    const npz = (await np.load(np.savezBytes(params))) as np.NpzFile;
    expect(npz.files).toEqual(["layers/0/w", "layers/0/b", "layers/1/w", "layers/1/b", "scale"]);
    const tree = npz.toTree() as typeof params;
    expect(Array.isArray(tree.layers)).toBe(true);
    expect(values(tree.layers[1].w)).toEqual([5, 6]);
    expect(tree.layers[1].w.shape).toEqual([2, 1]);
    expect(values(tree.scale)).toEqual([2]);
  });
  it("toTree(like) follows the template (an object keyed 0, 1 stays an object)", async () => {
    const odd = { "0": np.array([1]), "1": np.array([2]) };
    const npz = (await np.load(np.savezBytes(odd))) as np.NpzFile;
    expect(Array.isArray(npz.toTree())).toBe(true);
    const back = npz.toTree({ "0": null, "1": null }) as Record<string, NdArray>;
    expect(Array.isArray(back)).toBe(false);
    expect(values(back["1"])).toEqual([2]);
  });
  it("compressed bytes, ArrayBuffer input, one array as arr_0", async () => {
    const bytes = await np.savezCompressedBytes(params);
    const tree = ((await np.load(bytes.slice().buffer)) as np.NpzFile).toTree() as typeof params;
    expect(values(tree.layers[0].w)).toEqual([1, 2, 3, 4]);
    const one = (await np.load(np.savezBytes(np.array([7, 8])))) as np.NpzFile;
    expect(one.files).toEqual(["arr_0"]);
    expect(values(one.toTree() as NdArray)).toEqual([7, 8]);
    expect(values((await np.load(np.saveBytes(np.array([[1, 2]])))) as NdArray)).toEqual([1, 2]);
  });
  it("bad trees and names", async () => {
    expect(() => np.savezBytes({ "a/b": np.array(1) })).toThrow(/cannot be empty or contain "\/"/);
    expect(() => np.savezBytes({ a: "text" })).toThrow(ArgumentTypeError);
    expect(() => np.savezBytes({ a: "text" })).toThrow(/leaves must be Arrays or numbers: got .* at "a"/);
    const npz = (await np.load(np.savezBytes({ w: np.array(1) }))) as np.NpzFile;
    expect(() => npz.get("v")).toThrow(/no array named "v": expected one of "w"/);
    expect(() => npz.toTree({ v: null })).toThrow(/no array named "v"/);
  });
});

describe("malformed files and bad arguments", () => {
  const good = np.saveBytes(np.arange(4).astype("float32"));
  it("bad magic, truncated header and data, bad header, bad version", async () => {
    await expect(np.load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).rejects.toThrow(np.NpyFormatError);
    await expect(np.load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).rejects.toThrow(
      /not a .npy file \(bad magic\): got bytes 01 02 03 04 05 06/,
    );
    await expect(np.load(good.slice(0, 40))).rejects.toThrow(/truncated .npy file/);
    await expect(np.load(good.slice(0, good.length - 1))).rejects.toThrow(
      /truncated .npy data: got 15 bytes, expected 16/,
    );
    const bad = good.slice();
    bad.set(new TextEncoder().encode("{'nonsense': 1}"), 10);
    await expect(np.load(bad)).rejects.toThrow(/bad .npy header/);
    const v9 = good.slice();
    v9[6] = 9;
    await expect(np.load(v9)).rejects.toThrow(/unsupported .npy format version 9.0/);
  });
  it("truncated and corrupt zip archives", async () => {
    const zip = np.savezBytes({ w: np.arange(4).astype("float32") });
    await expect(np.load(zip.slice(0, zip.length - 30))).rejects.toThrow(/bad .npz \(zip\) file/);
    const corrupt = zip.slice();
    corrupt[100] ^= 0xff; // inside the stored .npy data
    await expect(np.load(corrupt)).rejects.toThrow(/fails its CRC-32 or size check/);
  });
  it("the browsers' deflate (CompressionStream 'deflate-raw') interoperates with zlib's", async () => {
    const data = np.saveBytes(np.arange(500).astype("float32"));
    expect(inflateRawSync(await viaStream("compress", data))).toEqual(Buffer.from(data));
    expect(await viaStream("decompress", new Uint8Array(deflateRawSync(data)))).toEqual(data);
  });
  it("CRC-32 is zlib's (known answer for '123456789')", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
  it("a path outside Node is a typed error pointing to the bytes forms", () => {
    const realProcess = globalThis.process;
    vi.stubGlobal("process", undefined);
    try {
      expect(() => np.save("w.npy", np.zeros([1]))).toThrow(ArgumentTypeError);
      expect(() => np.load("w.npz")).toThrow(
        /file paths need Node \(node:fs\): got "w.npz" outside Node.*np.saveBytes/,
      );
      expect(np.saveBytes(np.zeros([1]))[0]).toBe(0x93); // bytes still work
    } finally {
      vi.unstubAllGlobals();
      globalThis.process = realProcess;
    }
  });
  it("paths: extension, type, extra arguments", async () => {
    expect(() => np.save("weights", np.zeros([1]))).toThrow(/the path must end in .npy: got "weights"/);
    expect(() => np.load("weights.bin")).toThrow(/must end in .npy or .npz/);
    expect(() => np.savez(3 as never, {})).toThrow(ArgumentTypeError);
    expect(() => np.load(new Float32Array(2) as never)).toThrow(
      /source must be a path, a Uint8Array or an ArrayBuffer/,
    );
    expect(() => (np.saveBytes as (...a: unknown[]) => unknown)(np.zeros([1]), {})).toThrow(OptionError);
    await expect(np.load(p("missing.npy"))).rejects.toThrow(/ENOENT/);
    writeFileSync(p("junk.npy"), "junk");
    await expect(np.load(p("junk.npy"))).rejects.toThrow(/bad magic/);
  });
});
