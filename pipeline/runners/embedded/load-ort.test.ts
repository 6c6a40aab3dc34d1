import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../core/index.js';
import { tempDir } from '../../testing/temp-dir.js';
import { ortLibrary } from './load-ort.js';

describe('ortLibrary: the libonnxruntime build the embedded runtime runs on', () => {
  it("names onnxruntime-node's own library, as this process mapped it, with the file's SHA-256", () => {
    const library = ortLibrary();
    expect(library).not.toBeNull();
    const packageDir = dirname(realpathSync(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')));
    expect(library!.file.startsWith(join(packageDir, 'bin'))).toBe(true);
    expect(library!.file).toMatch(/\/libonnxruntime\.so[.\d]*$/);
    expect(library!.sha256).toBe(sha256Hex(readFileSync(library!.file)));
  });

  it('is null when the process maps no libonnxruntime, or the maps file cannot be read (not Linux)', () => {
    const dir = tempDir('greenrt-ort-maps-');
    const maps = join(dir, 'maps');
    writeFileSync(maps, '7f00-7f01 r-xp 00000000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6\n');
    expect(ortLibrary(maps)).toBeNull();
    expect(ortLibrary(join(dir, 'absent'))).toBeNull();
  });
});
