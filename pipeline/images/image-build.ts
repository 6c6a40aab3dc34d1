import { Readable } from 'node:stream';
import { GreenrtError } from '../core/index.js';
import type { BuildContext } from './build-context.js';
import { engineError, type DockerEngine } from '../docker/index.js';

/** One human-readable line of build output (the `stream`/`status` fields of the daemon's JSON lines). */
export type BuildProgress = (line: string) => void;

/** A failed `docker build`: the daemon's errorDetail and the stream's last lines, not "failed to build image". */
export class ImageBuildError extends GreenrtError {
  readonly tag: string;
  readonly detail: string;
  readonly lastLines: string[];
  /** The whole build output (capped at `maxLogLines`), for the log file a run keeps. */
  readonly log: string[];
  constructor(tag: string, detail: string, lastLines: string[], cause?: unknown, log: string[] = lastLines) {
    // Build output carries ANSI colour codes from pip and apt; reports and JSON want plain text.
    const plain = lastLines.map((l) => l.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''));
    const tail = plain.length > 0 ? `\nLast build output:\n${plain.map((l) => `  | ${l}`).join('\n')}` : '';
    super(
      'E_IMAGE_BUILD',
      `Image build failed (${tag}): ${detail.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')}. Fix the failing Dockerfile step shown below.${tail}`,
      { hint: 'Read the last build lines above: they show the failing step and its output.', cause },
    );
    this.tag = tag;
    this.detail = detail;
    this.lastLines = lastLines;
    this.log = log;
  }
}

export interface BuildOptions {
  /** Labels stored on the image (greenrt records runtime, flavour and context hash). */
  labels?: Record<string, string>;
  progress?: BuildProgress;
  signal?: AbortSignal;
  /** Lines kept for the error message (default 30). */
  tailLines?: number;
  /** The build's network (docker build --network): 'none' for offline builds from vendored inputs. */
  networkMode?: string;
  /** Build every step again (docker build --no-cache). */
  noCache?: boolean;
  /** Tag to give the result instead of ctx.tag (null: none). */
  tag?: string | null;
  /** Build only up to this Dockerfile stage (`FROM ... AS <target>`). */
  target?: string;
}

/** Lines of build output an ImageBuildError keeps for the run's log file. */
const maxLogLines = 100_000;

/** Runs `docker build` on a prepared context (classic builder); resolves to the image id. */
export async function buildFromContext(engine: DockerEngine, ctx: BuildContext, options: BuildOptions = {}): Promise<string> {
  const tailLines = options.tailLines ?? 30;
  const tail: string[] = [];
  const log: string[] = [];
  const remember = (text: string) => {
    for (const line of text.split('\n')) {
      const trimmed = line.replace(/\r$/, '');
      if (trimmed.trim() === '') continue;
      if (log.length < maxLogLines) log.push(trimmed);
      tail.push(trimmed);
      if (tail.length > tailLines) tail.shift();
      options.progress?.(trimmed);
    }
  };
  const tag = options.tag === undefined ? ctx.tag : options.tag;
  let stream: NodeJS.ReadableStream;
  try {
    stream = await engine.docker.buildImage(
      Readable.from([ctx.tar]) as unknown as NodeJS.ReadableStream,
      {
        ...(tag === null ? {} : { t: tag }),
        ...(options.target ? { target: options.target } : {}),
        buildargs: ctx.buildArgs,
        labels: options.labels ?? {},
        rm: true,
        forcerm: true,
        ...(options.networkMode ? { networkmode: options.networkMode } : {}),
        ...(options.noCache ? { nocache: true } : {}),
        abortSignal: options.signal,
      } as Record<string, unknown>,
    );
  } catch (error) {
    throw engineError(error, `Image build (${ctx.tag})`);
  }
  let imageId: string | undefined;
  let failure: string | undefined;
  let buffer = '';
  const handle = (raw: string) => {
    if (raw.trim() === '') return;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      remember(raw);
      return;
    }
    if (typeof event.stream === 'string') remember(event.stream);
    if (typeof event.status === 'string') remember(`${event.status}${event.progress ? ` ${String(event.progress)}` : ''}`);
    const aux = event.aux as { ID?: string } | undefined;
    if (aux?.ID) imageId = aux.ID;
    const detail = event.errorDetail as { message?: string } | undefined;
    if (detail?.message || typeof event.error === 'string') failure = detail?.message ?? String(event.error);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        handle(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    }
    handle(buffer);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    const gone = engineError(error, `Image build (${ctx.tag})`);
    if (gone !== error) throw gone;
    throw new ImageBuildError(ctx.tag, `the build stream broke: ${(error as Error).message}`, tail, error, log);
  }
  if (failure !== undefined) throw new ImageBuildError(ctx.tag, failure.trim(), tail, undefined, log);
  if (!imageId) {
    // Older daemons do not send aux.ID: ask for the tag instead.
    try {
      if (tag === null) throw new Error('no aux.ID and no tag to inspect');
      imageId = (await engine.docker.getImage(tag).inspect()).Id;
    } catch (error) {
      throw new ImageBuildError(ctx.tag, `the daemon finished without an image id (${(error as Error).message})`, tail, error);
    }
  }
  return imageId;
}

/** The image's inspect record, or null when the tag does not exist (404). */
export async function inspectImageOrNull(engine: DockerEngine, ref: string): Promise<import('dockerode').ImageInspectInfo | null> {
  try {
    return await engine.docker.getImage(ref).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return null;
    throw engineError(error, `Inspecting image ${ref}`);
  }
}
