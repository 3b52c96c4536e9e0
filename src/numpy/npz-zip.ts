/**
 * The zip archives behind `.npz` (PKWARE APPNOTE): written with stored or deflated entries
 * and CRC-32 here, read from the central directory (zip64 sizes and offsets included, as
 * NumPy's savez forces zip64 extra fields). Deflate runs in `node:zlib` under Node and in
 * `CompressionStream("deflate-raw")` elsewhere, so nothing here is a dependency.
 */
import { NpyFormatError } from "./npy-format.js";

/** One entry: its name and uncompressed bytes. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (the reflected polynomial 0xEDB88320, as zip and zlib). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Whether this is Node (paths and node:zlib available). */
export const isNode = (): boolean =>
  typeof process !== "undefined" && typeof (process as { versions?: { node?: string } }).versions?.node === "string";

/** A Node builtin by dynamic import; the specifier is a variable so browser bundles never load it. */
export async function nodeModule<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as T;
}

type Zlib = typeof import("node:zlib");

/** Raw deflate or inflate through the web's CompressionStream / DecompressionStream. */
export async function viaStream(kind: "compress" | "decompress", data: Uint8Array): Promise<Uint8Array> {
  const Stream = kind === "compress" ? CompressionStream : DecompressionStream;
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new Stream("deflate-raw" as CompressionFormat));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Raw deflate (no zlib header), as zip's method 8. */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  if (isNode()) return new Uint8Array((await nodeModule<Zlib>("zlib")).deflateRawSync(data));
  return viaStream("compress", data);
}

async function inflateRaw(op: string, name: string, data: Uint8Array): Promise<Uint8Array> {
  try {
    if (isNode()) return new Uint8Array((await nodeModule<Zlib>("zlib")).inflateRawSync(data));
    return await viaStream("decompress", data);
  } catch (e) {
    throw new NpyFormatError(`[${op}] corrupt deflate data in zip entry "${name}": ${(e as Error).message}.`);
  }
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
/** 1980-01-01 00:00, the earliest DOS date: archives are reproducible. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip archive of the entries, each stored (method 0) or deflated (method 8), with CRC-32. */
export async function writeZip(entries: ZipEntry[], compress: boolean): Promise<Uint8Array> {
  const bodies = compress ? await Promise.all(entries.map((e) => deflateRaw(e.data))) : entries.map((e) => e.data);
  return assembleZip(entries, bodies, compress ? 8 : 0);
}

/** {@link writeZip} without compression, synchronously. */
export function writeZipStored(entries: ZipEntry[]): Uint8Array {
  return assembleZip(
    entries,
    entries.map((e) => e.data),
    0,
  );
}

function assembleZip(entries: ZipEntry[], bodies: Uint8Array[], method: number): Uint8Array {
  const enc = new TextEncoder();
  const names = entries.map((e) => enc.encode(e.name));
  const localSize = names.reduce((s, n, i) => s + 30 + n.length + bodies[i].length, 0);
  const centralSize = names.reduce((s, n) => s + 46 + n.length, 0);
  const out = new Uint8Array(localSize + centralSize + 22);
  const v = new DataView(out.buffer);
  const crcs = entries.map((e) => crc32(e.data));
  const offsets: number[] = [];
  let p = 0;
  // Both headers share the fields from "version needed" to "file name length".
  const common = (at: number, i: number) => {
    v.setUint16(at, 20, true); // version needed: 2.0
    v.setUint16(at + 2, 0x0800, true); // names are UTF-8
    v.setUint16(at + 4, method, true);
    v.setUint16(at + 6, 0, true);
    v.setUint16(at + 8, DOS_DATE, true);
    v.setUint32(at + 10, crcs[i], true);
    v.setUint32(at + 14, bodies[i].length, true);
    v.setUint32(at + 18, entries[i].data.length, true);
    v.setUint16(at + 22, names[i].length, true);
  };
  entries.forEach((_, i) => {
    offsets.push(p);
    v.setUint32(p, SIG_LOCAL, true);
    common(p + 4, i);
    v.setUint16(p + 28, 0, true);
    out.set(names[i], p + 30);
    out.set(bodies[i], p + 30 + names[i].length);
    p += 30 + names[i].length + bodies[i].length;
  });
  const centralStart = p;
  entries.forEach((_, i) => {
    v.setUint32(p, SIG_CENTRAL, true);
    v.setUint16(p + 4, 20, true); // version made by
    common(p + 6, i);
    // extra length, comment length, disk, internal and external attributes: 0
    v.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + 46);
    p += 46 + names[i].length;
  });
  v.setUint32(p, SIG_END, true);
  v.setUint16(p + 8, entries.length, true);
  v.setUint16(p + 10, entries.length, true);
  v.setUint32(p + 12, p - centralStart, true);
  v.setUint32(p + 16, centralStart, true);
  return out;
}

/** Whether the bytes start like a zip archive (a local file header or an empty archive). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** The entries of a zip archive, stored or deflated, CRC-checked. */
export async function readZip(op: string, bytes: Uint8Array): Promise<ZipEntry[]> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string): never => {
    throw new NpyFormatError(`[${op}] bad .npz (zip) file: ${what}.`);
  };
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (v.getUint32(i, true) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) bad("no end of central directory record found (truncated or not a zip archive)");
  const count = v.getUint16(end + 10, true);
  let p = v.getUint32(end + 16, true);
  if (count === 0xffff || p === 0xffffffff) bad("zip64 archives of more than 65535 entries or 4 GiB are not supported");
  const out: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== SIG_CENTRAL) bad(`central directory entry ${k} is missing`);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    let compSize = v.getUint32(p + 20, true);
    let size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    let local = v.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extra field (id 1): the 64-bit values of the fields set to 0xFFFFFFFF, in order.
    let q = p + 46 + nameLen;
    const extraEnd = q + extraLen;
    while (q + 4 <= extraEnd) {
      const id = v.getUint16(q, true);
      const len = v.getUint16(q + 2, true);
      if (id === 1) {
        let r = q + 4;
        const next = () => Number(v.getBigUint64((r += 8) - 8, true));
        if (size === 0xffffffff) size = next();
        if (compSize === 0xffffffff) compSize = next();
        if (local === 0xffffffff) local = next();
      }
      q += 4 + len;
    }
    p = extraEnd + commentLen;
    if (local + 30 > bytes.length || v.getUint32(local, true) !== SIG_LOCAL)
      bad(`local header of "${name}" is missing`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + compSize > bytes.length) bad(`entry "${name}" is truncated`);
    const body = bytes.subarray(start, start + compSize);
    let data: Uint8Array;
    if (method === 0) data = body;
    else if (method === 8) data = await inflateRaw(op, name, body);
    else data = bad(`entry "${name}" uses compression method ${method}; expected 0 (stored) or 8 (deflate)`);
    if (data.length !== size || crc32(data) !== crc)
      bad(`entry "${name}" fails its CRC-32 or size check (corrupt data)`);
    out.push({ name, data });
  }
  return out;
}
