import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { GreenrtError } from '../core/index.js';
import { engineError, type DockerEngine } from '../docker/index.js';

/**
 * One layer streamed into the engine with `docker import` (POST /images/create?fromSrc=-): the engine registers
 * the bytes as they arrive (moby's layer store untars them once and hashes them on the way), with no temp file on
 * either side. Used by the image assembly (the normalised install layer) and by `images load` (an archive's first
 * layer, which `docker load` would first copy whole into a temp folder of the engine's).
 */

/** Where the producer writes the layer's bytes; resolves when the engine can take more. */
export type LayerWrite = (chunk: Buffer) => Promise<void>;

export interface ImportedLayer<T> {
  /** The image the engine made of the layer (tagged `tag` when one was given). */
  imageId: string;
  /** The layer digests the engine stored for it (one, for a single-layer import). */
  layers: string[];
  /** What the producer returned. */
  result: T;
}

/**
 * Runs `produce` with a writer whose bytes go to `docker import`, then waits for the engine's answer. A producer
 * that throws aborts the import (the engine drops the partial layer). `what` names the step in error messages.
 */
export async function importLayer<T>(
  engine: DockerEngine,
  produce: (write: LayerWrite) => Promise<T>,
  options: { tag?: string; what: string },
): Promise<ImportedLayer<T>> {
  const body = new PassThrough({ highWaterMark: 4 << 20 });
  const colon = options.tag ? options.tag.lastIndexOf(':') : -1;
  const imported = engine.docker.importImage(
    body as unknown as string,
    (options.tag ? { repo: options.tag.slice(0, colon), tag: options.tag.slice(colon + 1) } : {}) as object,
  );
  let result: T;
  try {
    result = await produce(async (chunk) => {
      if (!body.write(chunk)) await once(body, 'drain');
    });
  } catch (error) {
    body.destroy(error as Error);
    await imported.catch(() => undefined);
    throw error;
  }
  body.end();
  let response: NodeJS.ReadableStream;
  try {
    response = (await imported) as unknown as NodeJS.ReadableStream;
  } catch (error) {
    throw engineError(error, options.what);
  }
  const events = await readJsonStream(response, options.what);
  // The engine answers {"status":"sha256:<id>"} with the new image's id.
  const imageId = events
    .map((e) => e.status ?? '')
    .find((s) => /^sha256:[0-9a-f]{64}$/.test(s.trim()))
    ?.trim();
  const ref = options.tag ?? imageId;
  if (!ref) throw new GreenrtError('E_IMAGE_ASSEMBLY', `${options.what}: the engine did not name the image it made.`);
  let inspect: { Id: string; RootFS?: { Layers?: string[] } };
  try {
    inspect = (await engine.docker.getImage(ref).inspect()) as typeof inspect;
  } catch (error) {
    throw engineError(error, `${options.what} (inspecting ${ref})`);
  }
  return { imageId: inspect.Id, layers: inspect.RootFS?.Layers ?? [], result };
}

/** Drains a daemon JSON-lines response; an `error` line becomes a GreenrtError naming `what`. Returns the events. */
export async function readJsonStream(stream: NodeJS.ReadableStream, what: string): Promise<{ status?: string }[]> {
  let text = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) text += chunk.toString();
  const events: { status?: string }[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let event: { status?: string; error?: string; errorDetail?: { message?: string } };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      continue;
    }
    if (event.error || event.errorDetail?.message) throw new GreenrtError('E_IMAGE_ASSEMBLY', `${what}: ${event.errorDetail?.message ?? event.error}.`);
    events.push(event);
  }
  return events;
}
