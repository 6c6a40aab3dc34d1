/**
 * mulberry32: a 32-bit PRNG by Tommy Ettinger (public domain). Small, fast, and fully specified by
 * these lines, so a recorded seed reproduces the same trial order in any language. Not cryptographic.
 * Returns floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
