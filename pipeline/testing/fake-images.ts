/**
 * FAKE images for tests of the run loop (no docker build): a complete BuiltImage record for a runtime
 * and flavour, as an ImageProvider or a FrameworkExecutor's ensureImages would return it.
 */
import type { BuiltImage } from '../images/index.js';

export function fakeBuiltImage(image: Pick<BuiltImage, 'runtime' | 'flavour'> & Partial<BuiltImage>): BuiltImage {
  return {
    tag: `greenrt/${image.runtime}:${image.flavour}-fake`,
    imageId: 'sha256:fake',
    repoDigests: [],
    sizeBytes: 0,
    created: '',
    contextHash: '',
    buildArgs: {},
    baseImage: null,
    baseImageId: null,
    built: false,
    durationMs: 0,
    description: null,
    ...image,
  };
}
