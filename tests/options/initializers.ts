/** Option cases for `nn.initializers`: each factory's options, checked on the initializer it builds. */
import { nn, random } from "../../src/index.js";
import type { NoOptionsEntry, OptionTableEntry } from "./table.js";

const init = nn.initializers;
const key = random.key(0);

/** Builds the initializer with the options given, then draws [4, 6] from one key. */
const drawn =
  (f: unknown, ...required: unknown[]) =>
  (...o: unknown[]) =>
    ((f as (...a: unknown[]) => unknown)(...required, ...o) as (k: unknown, s: number[]) => unknown)(key, [4, 6]);

const fanCases = [
  { positional: [0], object: { inAxis: 0 } },
  { positional: [-2, 0], object: { outAxis: 0 } },
  { positional: [[0], [1], []], object: { inAxis: [0], outAxis: [1], batchAxis: [] } },
  { positional: [-2, -1, [], "float64"], object: { dtype: "float64" }, mixed: [[-2], { dtype: "float64" }] },
] as OptionTableEntry["cases"];

const FAN_FAMILY = ["glorotUniform", "glorotNormal", "lecunUniform", "lecunNormal", "heUniform", "heNormal"] as const;

export const initializerOptions: OptionTableEntry[] = [
  {
    op: "nn.initializers.constant",
    call: drawn(init.constant, 3),
    cases: [{ positional: ["float64"], object: { dtype: "float64" } }],
  },
  {
    op: "nn.initializers.uniform",
    call: drawn(init.uniform),
    cases: [
      { positional: [2], object: { scale: 2 } },
      { positional: [undefined, "float64"], object: { dtype: "float64" } },
    ],
  },
  {
    op: "nn.initializers.normal",
    call: drawn(init.normal),
    cases: [
      { positional: [2], object: { stddev: 2 } },
      { positional: [1, "float64"], object: { stddev: 1, dtype: "float64" }, mixed: [[1], { dtype: "float64" }] },
    ],
  },
  {
    op: "nn.initializers.truncatedNormal",
    call: drawn(init.truncatedNormal),
    cases: [
      { positional: [2], object: { stddev: 2 } },
      { positional: [undefined, null, -1, 3], object: { lower: -1, upper: 3 } },
      { positional: [1, "float64"], object: { stddev: 1, dtype: "float64" } },
    ],
  },
  {
    op: "nn.initializers.varianceScaling",
    call: drawn(init.varianceScaling, 2, "fanAvg", "uniform"),
    cases: fanCases,
  },
  ...FAN_FAMILY.map((name): OptionTableEntry => ({
    op: `nn.initializers.${name}`,
    call: drawn(init[name]),
    cases: fanCases,
  })),
  {
    op: "nn.initializers.orthogonal",
    call: drawn(init.orthogonal),
    cases: [
      { positional: [2], object: { scale: 2 } },
      { positional: [1, 0], object: { columnAxis: 0 } },
      { positional: [1, -1, "float64"], object: { dtype: "float64" } },
    ],
  },
  {
    op: "nn.initializers.deltaOrthogonal",
    call: (...o: unknown[]) =>
      (init.deltaOrthogonal as unknown as (...a: unknown[]) => (k: unknown, s: number[]) => unknown)(...o)(
        key,
        [3, 4, 6],
      ),
    cases: [
      { positional: [2], object: { scale: 2 } },
      { positional: [1, 1], object: { columnAxis: 1 } },
      { positional: [1, -1, "float64"], object: { dtype: "float64" } },
    ],
  },
];

export const initializerNoOptions: NoOptionsEntry[] = [
  { name: "nn.initializers.zeros", args: [key, [2], null] },
  { name: "nn.initializers.ones", args: [key, [2], null] },
  { name: "nn.initializers.computeFans", args: [[3, 4], -2, -1, []] },
];
