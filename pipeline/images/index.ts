/**
 * images: Docker image builds through dockerode (the engine client itself: `pipeline/docker`).
 *
 * Contexts and builds
 * - `buildContext(runtime, flavour, {caBundlePath?, baseImage?, repoRoot?}) -> BuildContext {tar, buildArgs,
 *   contextHash, tag, files}`: deterministic tar laid out as docs/ARCHITECTURE.md ("Build contexts"); tag
 *   `greenrt/<runtime>:<flavour>-<hash12>`, hash = sha256(tar) + build args.
 * - `runtimeContextEntries({runtimeDir, dockerfile?, repoRoot?, caBundlePath?}) -> TarEntry[]`: that one layout for
 *   any runtime folder (the FAKE runtimes of the Docker tests use it with their own Dockerfile text);
 *   `contextFromEntries(entries, buildArgs, repository, tagPrefix)` hashes and tags it.
 * - `buildFromContext(engine, ctx, {labels?, progress?, signal?}) -> imageId`: throws ImageBuildError
 *   (E_IMAGE_BUILD) carrying the daemon's errorDetail.message and the last 30 stream lines.
 * - `ensureImage(engine, {runtime, flavour, baseImage?, caBundlePath?, describe?}, progress) -> BuiltImage`:
 *   reuses an existing tag (no build; ~10 ms plus a cached description), else makes the base image
 *   (images/base/build-base.sh for greenrt/debian:<suite>) and builds reproducibly (`buildReproducibly`: the classic
 *   build to `<repository>-build:<flavour>-<hash12>`, then `assembleImage`). BuiltImage.configDigest: the identity.
 * - `hostCaBundle(env?)`: GREENRT_CA_BUNDLE, else the host trust store (HOST_CA_BUNDLES), "none" for none; sent as
 *   /ca-bundle.crt, left out of the tag (TRANSPORT_ONLY). `readSourceDateEpoch(repoRoot)`: images/common/source-date-epoch (s).
 *
 * Reproducible images (docs/ARCHITECTURE.md, "Reproducible images")
 * - `assembleImage(engine, {installImageId, fullImageId, tag, epochS, labels}) -> {configDigest, diffIds, installCached,
 *   timingsMs}`: the install stage exported and normalised once per stage id (cached as `<repository>-build:install-<id12>`),
 *   CODE_PATHS as a second layer, a canonical config (`imageConfig`), `docker load` under the tag.
 * - `readLayerTar(stream)`, `layerHeader(entry)`: streaming tar reader / deterministic header writer (layer-tar.ts);
 *   `normaliseLayer(entries, write, {epochS}) -> {diffId, sizeBytes, entries, dropped}` (VOLATILE_FILES, ENGINE_FILES).
 * - `imageFiles`, `diffFiles`, `diffImages`, `formatImageDiff`: the small image differ (paths whose content or metadata differ).
 * - `describeImage(engine, imageId, {cacheDir?, onNote?}) -> ImageDescription`: harness `describe` JSON, dpkg summary
 *   (the base packages and the catalogue's `debianPackages`), and for cuda images the build record `cuda` (CUDA/cuDNN
 *   versions, kernel archs, minimum driver). Cached per image id (schemas/image-description-cache.schema.json); an
 *   entry that fails the schema or names another image is never used: `onNote` says why and the image is described again.
 *
 * Image archives (the one place that moves image bytes between engines; identity is the config digest)
 * - `saveImages(engine, tags, {contracts, outDir}) -> {records, transfers}` (`greenrt images save`, `slurm submit`):
 *   `docker save` streamed to <outDir>/<runtime>-<flavour>-<hash12>.tar while hashed, checked, renamed; then the
 *   record beside it (schemas/image-archive.schema.json). An archive of the same config digest is kept.
 * - `loadImages(engine, dir, {contracts, tags?}) -> ImageTransfer[]` (`greenrt images load`, `run --images`):
 *   loads what the engine lacks after checking size, config digest and layers; SHA-256 while streaming; the tag's
 *   digest after. ImageArchiveError (exit 4) for an archive that is not its record's image, its tag removed.
 * - `ensureImage(..., {archives: {dir, contracts}})` loads from the folder instead of building, and records
 *   `obtained` ('built' | 'present' | 'loaded') and `configDigest` in the manifest's image record.
 *
 * CLI entry points
 * - `buildImages(engine, {flavour, runtimes?, ...}) -> {images: BuiltImage[], lock}` (`greenrt images build`).
 * - `listImages(engine) -> ListedImage[]` (`greenrt images list`; sizes in bytes, createdMs).
 * - `lockImages(engine, {write?}) -> LockResult` (`greenrt images lock`): images/images.lock.json records the
 *   local bases (greenrt/debian:<suite>) by image id (digest not applicable); a registry image a Dockerfile
 *   may name (greenrt's name none) is pinned to its digest, and a moved tag throws E_IMAGE_LOCK_MISMATCH.
 * - `checkImage(engine, ref) -> ImageCheckResult` (`greenrt images check`): the no-GPU check inside a cuda or
 *   tensorrt image (images/common/docker/cuda_check.py): libraries resolve, CUDA build, kernel architectures.
 * - `requireNvidiaIndex()`, `requireTensorrtImageOrIndex(engine)`: the tensorrt variant needs NVIDIA's index;
 *   throws EnvironmentError E_TENSORRT_UNAVAILABLE (exit 3) with the reason and the fix.
 */

export * from './build-context.js';
export * from './tar-writer.js';
export * from './image-build.js';
export { classifyBuildFailure } from './build-failure.js';
export * from './base-image.js';
export * from './dockerfile-bases.js';
export * from './describe-image.js';
export * from './ensure-image.js';
export * from './image-archive.js';
export * from './image-lock.js';
export * from './build-images.js';
export * from './check-image.js';
export * from './tensorrt-source.js';
export * from './vendor-inputs.js';
export * from './assemble-image.js';
export * from './layer-tar.js';
export * from './normalise-layer.js';
export * from './image-diff.js';
