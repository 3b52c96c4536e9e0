// @ts-check
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

const TS_FILES = ["**/*.ts", "**/*.mts", "**/*.cts"];
const PROJECT_TS = ["src", "tests", "bench", "examples", "scripts"].flatMap((dir) =>
  TS_FILES.map((glob) => `${dir}/${glob}`),
);

const unusedVarsOptions = {
  args: "after-used",
  argsIgnorePattern: "^_",
  varsIgnorePattern: "^_",
  caughtErrorsIgnorePattern: "^_",
  destructuredArrayIgnorePattern: "^_",
  ignoreRestSiblings: true,
};

/**
 * The layers of src/ (docs/architecture.md), lowest first. A file imports only
 * its own folder and the folders of lower layers; among the libraries, each may
 * use those listed before it. Each folder's block forbids every folder above it.
 */
const LAYERS = [
  ["core"],
  ["tree", "ir", "kernel"],
  ["backends"],
  ["interpreters"],
  ["primitives"],
  ["compile"],
  ["transforms"],
  ["control"],
  ["numpy", "lax"],
  ["random"],
  ["nn"],
  ["scipy"],
  ["optim"],
  ["stablehlo"],
];

const BACKENDS_RANK = LAYERS.findIndex((l) => l.includes("backends"));

/**
 * Above the backends, only `backends/api.ts` may be imported (never a concrete
 * backend), and no array's storage is touched: `_data` and `_buffer` belong to
 * core and the backends.
 */
const STORAGE_MESSAGE =
  "Only src/core and src/backends touch an array's storage: run work through a primitive (or backends/api.ts), read values with dataSync()/readValues().";

/** One block per folder: `no-restricted-imports` of its own layer's siblings and every higher layer. */
const layerBlocks = LAYERS.flatMap((layer, rank) => {
  const above = LAYERS.slice(rank + 1).flat();
  return layer.map((folder) => {
    const forbidden = [...above, ...layer.filter((f) => f !== folder)];
    const concreteBackends = rank > BACKENDS_RANK ? ["**/backends/**", "!**/backends/api.js"] : [];
    return {
      files: TS_FILES.map((glob) => `src/${folder}/${glob}`),
      rules: {
        ...(folder === "core" || folder === "backends"
          ? {}
          : {
              "no-restricted-syntax": [
                "error",
                { selector: "MemberExpression[property.name=/^_(data|buffer)$/]", message: STORAGE_MESSAGE },
              ],
            }),
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: [...forbidden.map((f) => `**/${f}/*`), ...concreteBackends],
                message: `src/${folder} may import only its own folder and lower layers (${
                  rank === 0 ? "none" : LAYERS.slice(0, rank).flat().join(", ")
                }): see docs/architecture.md.`,
              },
            ],
          },
        ],
      },
    };
  });
});

export default defineConfig([
  globalIgnores(["dist/", "docs/api/", "node_modules/", "coverage/", "examples/browser/dist/", "examples/out/"]),

  // Plain JavaScript anywhere in the repo (this file, scripts, examples written in JS).
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
        WebAssembly: "readonly",
        Atomics: "readonly",
        Int32Array: "readonly",
      },
    },
    rules: {
      "no-unused-vars": ["error", unusedVarsOptions],
    },
  },

  // TypeScript: library sources, tests, benchmarks, examples and root *.config.ts files.
  {
    files: [...PROJECT_TS, "*.ts", "*.mts", "*.cts"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", unusedVarsOptions],
    },
  },

  // The published library: no `any` escapes.
  {
    files: TS_FILES.map((glob) => `src/${glob}`),
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
    },
  },

  // Tests, benchmarks and examples may poke at internals with `any`.
  {
    files: ["tests", "bench", "examples"].flatMap((dir) => TS_FILES.map((glob) => `${dir}/${glob}`)),
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
    },
  },

  ...layerBlocks,
]);
