/**
 * Runs a browser worker script (given as a file URL) in a Node worker thread:
 * `self`, `self.onmessage` and `self.close` as a dedicated Web Worker has them.
 */
import { parentPort, workerData } from "node:worker_threads";

globalThis.self = globalThis;
globalThis.close = () => process.exit(0);
await import(workerData.url);
// Messages wait in the port until this listener starts it, as they would for a Web Worker still loading.
parentPort.on("message", (data) => globalThis.onmessage({ data }));
