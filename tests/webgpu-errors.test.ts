/**
 * The webgpu backend's messages and the platform switch before `init`: no GPU
 * needed (this file never starts the device).
 */
import { describe, expect, it } from "vitest";
import { config, defaultBackend, OptionError } from "../src/index.js";
import { notOnDeviceMessage } from "../src/backends/api.js";
import {
  float64Message,
  missingPackageMessage,
  noAdapterMessage,
  syncReadMessage,
} from "../src/backends/webgpu/errors.js";

describe("webgpu messages", () => {
  it('refuses platform "webgpu" before init has resolved, naming `await init("webgpu")`', () => {
    expect(() => config.update("platform", "webgpu")).toThrow(OptionError);
    expect(() => config.update("platform", "webgpu")).toThrow(
      '[config.update] platform "webgpu" is not ready: got it before its backend started, expected `await init("webgpu")` first.',
    );
    expect(config.values.platform).toBe("wasm");
    expect(defaultBackend()).not.toBe("webgpu");
  });

  it("names `npm i webgpu` when the package is missing", () => {
    expect(missingPackageMessage("Cannot find package 'webgpu'")).toBe(
      "[init] the webgpu backend needs the \"webgpu\" package in Node: got an error importing it (Cannot find package 'webgpu'), " +
        'expected it installed. Run `npm i webgpu` (an optional peer dependency that ships Dawn), then `await init("webgpu")`.',
    );
  });

  it("says what to install when no adapter exists", () => {
    expect(noAdapterMessage("navigator.gpu")).toMatch(
      /^\[init\] no WebGPU adapter: got none from navigator\.gpu.*mesa-vulkan-drivers/,
    );
  });

  it("names `await x.data()` for synchronous reads, the choice for float64, and the way out for missing routines", () => {
    expect(syncReadMessage("int32", 3)).toMatch(
      /^\[dataSync\(\)\] .*got a int32 array of 3 elements.*Use `await x\.data\(\)`/,
    );
    expect(float64Message("exp")).toMatch(/^\[exp\] float64 is not available on webgpu: .*cpu or wasm.*float32/);
    expect(notOnDeviceMessage({ name: "cumulative", op: "cumsum", axis: 0, reverse: false }, "webgpu")).toMatch(
      /^\[cumsum\] cumsum is not available on webgpu yet: got operands in webgpu memory.*Run this part on cpu or wasm/,
    );
    expect(notOnDeviceMessage({ name: "sort", dimension: 0, numKeys: 1 }, "webgpu")).toMatch(/^\[sort\] sort is not/);
  });
});
