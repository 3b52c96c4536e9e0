/** np.save / np.load / np.savez and their bytes forms take no options. */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { numpy as np } from "../../src/index.js";
import type { NoOptionsEntry } from "./table.js";

const bytes = np.saveBytes(np.array([1, 2]));
// The path forms write a file when called validly: into the temporary folder, never the checkout.
const tmp = (ext: string) => join(tmpdir(), `cotangent-options-table${ext}`);

export const npyNoOptions: NoOptionsEntry[] = [
  { name: "saveBytes", args: [np.array([1, 2])] },
  { name: "savezBytes", args: [{ w: np.array([1, 2]) }] },
  { name: "savezCompressedBytes", args: [{ w: np.array([1, 2]) }] },
  { name: "load", args: [bytes] },
  { name: "save", args: [tmp(".npy"), np.array([1])] },
  { name: "savez", args: [tmp(".npz"), { w: np.array([1]) }] },
  { name: "savezCompressed", args: [tmp("-compressed.npz"), { w: np.array([1]) }] },
];
