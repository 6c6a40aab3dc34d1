/**
 * Proves on the real engine that a container's time.monotonic_ns() is the host's CLOCK_MONOTONIC
 * (process.hrtime.bigint()): the premise for joining in-container phase markers with host power traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { demuxLogs, type DockerEngine } from '../../docker/index.js';
import { connectDockerOrSkip, ensureTestImage, type TestImage } from '../../testing/docker-test-image.js';

const engine = await connectDockerOrSkip('monotonic-clock.docker.test');

describe.skipIf(!engine)('container monotonic clock (real Docker engine)', () => {
  let image: TestImage;
  const docker = () => (engine as DockerEngine).docker;

  beforeAll(async () => {
    image = await ensureTestImage(engine as DockerEngine);
  });

  it('a one-shot container reads a CLOCK_MONOTONIC between two host reads around docker run', async () => {
    const container = await docker().createContainer({
      Image: image.imageId,
      Cmd: ['python3', '-c', 'import time; print(time.monotonic_ns())'],
      HostConfig: { NetworkMode: 'none' },
      Labels: { 'greenrt.run': 'clock-test' },
    });
    try {
      const beforeNs = process.hrtime.bigint();
      await container.start();
      await container.wait();
      const afterNs = process.hrtime.bigint();
      const logs = demuxLogs((await container.logs({ stdout: true, stderr: true })) as unknown as Buffer);
      const containerNs = BigInt(logs.stdout.trim());
      expect(containerNs >= beforeNs).toBe(true);
      expect(containerNs <= afterNs).toBe(true);
      console.info(
        `[clock] docker start..exit ${(Number(afterNs - beforeNs) / 1e6).toFixed(1)} ms; container read ${(Number(containerNs - beforeNs) / 1e6).toFixed(1)} ms after the host's first read`,
      );
    } finally {
      await container.remove({ force: true });
    }
  });

  describe('offset from round trips to a long-lived container', () => {
    let container: Docker.Container;
    let stream: NodeJS.ReadWriteStream;
    let received = '';

    beforeAll(async () => {
      // Reads a line on stdin, answers with time.monotonic_ns(): one round trip through the daemon's attach stream.
      container = await docker().createContainer({
        Image: image.imageId,
        Cmd: ['python3', '-u', '-c', 'import sys, time\nfor _ in sys.stdin:\n    print(time.monotonic_ns(), flush=True)'],
        OpenStdin: true,
        StdinOnce: false,
        AttachStdin: true,
        AttachStdout: true,
        Tty: true, // raw stream, no multiplexing frames to parse
        HostConfig: { NetworkMode: 'none' },
        Labels: { 'greenrt.run': 'clock-test' },
      });
      stream = (await container.attach({ stream: true, stdin: true, stdout: true, hijack: true })) as NodeJS.ReadWriteStream;
      stream.on('data', (chunk: Buffer) => {
        received += chunk.toString();
      });
      await container.start();
    });

    afterAll(async () => {
      stream?.end();
      await container?.remove({ force: true });
    });

    async function roundTrip(): Promise<{ beforeNs: bigint; containerNs: bigint; afterNs: bigint }> {
      received = '';
      const beforeNs = process.hrtime.bigint();
      stream.write('x\n');
      for (;;) {
        const match = /(\d{6,})\r?\n/.exec(received.replace(/^x\r?\n/, ''));
        if (match) return { beforeNs, containerNs: BigInt(match[1]!), afterNs: process.hrtime.bigint() };
        await new Promise((r) => setImmediate(r));
      }
    }

    it('every sample lies inside its round trip and the best estimate of the offset is under 1 ms', async () => {
      await roundTrip(); // first answer includes the interpreter's start
      const samples = [];
      for (let i = 0; i < 40; i++) samples.push(await roundTrip());
      for (const s of samples) {
        expect(s.containerNs >= s.beforeNs).toBe(true);
        expect(s.containerNs <= s.afterNs).toBe(true);
      }
      // The tightest round trip bounds the offset best: |offset| <= rtt/2 around its midpoint.
      const best = samples.reduce((a, b) => (b.afterNs - b.beforeNs < a.afterNs - a.beforeNs ? b : a));
      const rttMs = Number(best.afterNs - best.beforeNs) / 1e6;
      const offsetMs = Number(best.containerNs - (best.beforeNs + best.afterNs) / 2n) / 1e6;
      const bound = Math.abs(offsetMs) + rttMs / 2;
      console.info(`[clock] best round trip ${rttMs.toFixed(3)} ms, offset estimate ${offsetMs.toFixed(3)} ms, |offset| <= ${bound.toFixed(3)} ms`);
      expect(Math.abs(offsetMs)).toBeLessThan(1);
      expect(bound).toBeLessThan(1);
    });
  });
});
