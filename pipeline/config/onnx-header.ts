import type { FileHandle } from 'node:fs/promises';
import { openInputFile } from '../core/index.js';

/** Most top-level fields an ONNX ModelProto is walked through (a real one has about ten). */
const maxTopLevelFields = 10_000;

/**
 * Why `file` is not an ONNX model, or null when it looks like one: a cheap walk over the top level
 * of the protobuf message (ModelProto) without decoding it. Every field must have a valid key and
 * wire type and end inside the file, the last exactly at its end, and `ir_version` (field 1, varint)
 * and `graph` (field 7, length-delimited) must be present. A text file, an archive, a truncated
 * download or a PyTorch checkpoint fails within its first bytes. Reads a few bytes per field.
 */
export async function onnxHeaderProblem(file: string): Promise<string | null> {
  const handle = await openInputFile(file);
  try {
    const size = (await handle.stat()).size;
    let pos = 0;
    let irVersion = false;
    let graph = false;
    for (let fields = 0; pos < size; fields++) {
      if (fields >= maxTopLevelFields) return `more than ${maxTopLevelFields} top-level fields`;
      const at = pos;
      const key = await readVarint(handle, pos, size);
      if (!key) return `byte ${at} does not start a protobuf field`;
      pos = key.next;
      const field = key.value >> 3n;
      const wire = Number(key.value & 7n);
      if (field === 0n) return `byte ${at} holds field number 0, which protobuf does not allow`;
      if (wire === 0) {
        const v = await readVarint(handle, pos, size);
        if (!v) return `the varint at byte ${pos} is cut off`;
        pos = v.next;
        if (field === 1n) irVersion = v.value >= 1n && v.value < 100n;
      } else if (wire === 1 || wire === 5) {
        pos += wire === 1 ? 8 : 4;
      } else if (wire === 2) {
        const len = await readVarint(handle, pos, size);
        if (!len) return `the length at byte ${pos} is cut off`;
        pos = len.next + Number(len.value);
        if (field === 7n) graph = true;
      } else {
        return `byte ${at} has wire type ${wire}, which an ONNX model does not use`;
      }
      if (pos > size) return `the field at byte ${at} runs past the end of the file (${size} bytes): truncated?`;
    }
    if (size === 0) return 'the file is empty';
    if (!irVersion) return 'it has no ir_version (field 1), which every ONNX model starts with';
    if (!graph) return 'it has no graph (field 7)';
    return null;
  } finally {
    await handle.close();
  }
}

async function readVarint(handle: FileHandle, pos: number, size: number): Promise<{ value: bigint; next: number } | null> {
  const buf = Buffer.alloc(10);
  const { bytesRead } = await handle.read(buf, 0, Math.min(10, size - pos), pos);
  let value = 0n;
  for (let i = 0; i < bytesRead; i++) {
    value |= BigInt(buf[i]! & 0x7f) << BigInt(7 * i);
    if ((buf[i]! & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return null;
}
