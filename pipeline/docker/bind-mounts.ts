import type Docker from 'dockerode';

/** One host path bound into a container. */
export interface BindMount {
  host: string;
  container: string;
  readOnly: boolean;
}

/**
 * Binds as the engine's `Mounts` (type bind), not `Binds` strings: a `host:container:mode` string cannot carry a
 * path holding ':' (Docker refuses it as an "invalid volume specification"), and a missing host path is an error
 * instead of an empty folder the engine creates as root.
 */
export function bindMounts(binds: readonly BindMount[]): Docker.MountSettings[] {
  return binds.map((b) => ({ Type: 'bind', Source: b.host, Target: b.container, ReadOnly: b.readOnly }));
}
