/** Backends: where arrays live and kernels run. Today: `cpu`, plain JavaScript, the reference. */

export interface Device {
  /** The backend's name: "cpu". */
  readonly platform: string;
  readonly id: number;
  toString(): string;
}

const cpu: Device = {
  platform: "cpu",
  id: 0,
  toString: () => "CpuDevice(id=0)",
};

/** `jax.devices()`: the devices of the default backend. */
export function devices(): Device[] {
  return [cpu];
}

/** `jax.default_backend()`. */
export function defaultBackend(): string {
  return "cpu";
}
