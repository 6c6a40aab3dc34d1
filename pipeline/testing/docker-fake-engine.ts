/**
 * FAKE Docker engine for unit tests of code that only inspects images (lock files, base checks):
 * `docker.getImage(ref).inspect()` answers from a map and 404s otherwise, like the daemon.
 */
import type { DockerEngine, DockerEngineInfo } from '../docker/index.js';

export interface FakeImage {
  Id: string;
  RepoDigests?: string[];
  RepoTags?: string[];
  Size?: number;
  Created?: string;
}

export const fakeEngineInfo: DockerEngineInfo = {
  serverVersion: '0.0.0-fake',
  apiVersion: '1.41',
  storageDriver: 'overlay2',
  cgroupVersion: '1',
  runtimes: ['runc'],
  nvidiaRuntime: false,
  operatingSystem: 'fake',
  kernelVersion: '0',
  cpuCount: 2,
  memoryMiB: 1024,
};

/** An engine whose images are `images` (by reference); everything else is a 404. */
export function fakeImageEngine(images: Record<string, FakeImage>): DockerEngine & { inspected: string[] } {
  const inspected: string[] = [];
  const docker = {
    getImage(ref: string) {
      return {
        inspect: async () => {
          inspected.push(ref);
          const image = images[ref];
          if (!image) throw Object.assign(new Error(`(HTTP code 404) no such image - ${ref}`), { statusCode: 404 });
          return { RepoDigests: [], RepoTags: [ref], Size: 0, Created: '2000-01-01T00:00:00Z', ...image };
        },
      };
    },
  };
  return { docker: docker as unknown as DockerEngine['docker'], info: fakeEngineInfo, inspected };
}
