import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../core/index.js';
import { DEFAULT_NVIDIA_INDEX, nvidiaIndexUrl, requireNvidiaIndex } from './tensorrt-source.js';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A local stand-in for NVIDIA's index: a real HTTP server on the loopback address. */
describe('requireNvidiaIndex', () => {
  let server: Server;
  let base = '';
  const requested: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url === '/ok/tensorrt-cu12-libs/') res.writeHead(200).end('<a href="tensorrt_cu12_libs-10.14.1.48.whl">');
      else if (req.url?.startsWith('/slow/')) setTimeout(() => res.writeHead(200).end(), 3000);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('passes when the index serves the TensorRT libraries page', async () => {
    await expect(requireNvidiaIndex({ url: `${base}/ok/` })).resolves.toBeUndefined();
    expect(requested).toContain('/ok/tensorrt-cu12-libs/');
  });

  it.each([
    ['an index without the package', '/missing', /answered HTTP 404/],
    ['no index at all (closed port)', ':closed', /ECONNREFUSED/],
    ['an index that does not answer in time', '/slow', /no answer from .* within 500 ms/],
  ])('refuses with exit 3, the reason and the fix: %s', async (_what, suffix, reason) => {
    const url = suffix === ':closed' ? `http://127.0.0.1:${await closedPort()}` : `${base}${suffix}`;
    const error = await requireNvidiaIndex({ url, timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    const e = error as EnvironmentError;
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('E_TENSORRT_UNAVAILABLE');
    expect(e.message).toMatch(reason);
    expect(e.message).toContain('PyPI carries no TensorRT library');
    expect(e.hint).toContain('docker save / docker load');
    expect(e.hint).toContain('drop "tensorrt"');
  });

  it("takes a mirror from GREENRT_NVIDIA_INDEX, else NVIDIA's own index", () => {
    expect(nvidiaIndexUrl({})).toBe(DEFAULT_NVIDIA_INDEX);
    expect(nvidiaIndexUrl({ GREENRT_NVIDIA_INDEX: 'https://mirror.example/nvidia' })).toBe('https://mirror.example/nvidia');
  });
});
