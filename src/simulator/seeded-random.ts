/**
 * Deterministic randomness. Data must be a pure function of the seed (never Math.random), so
 * two simulators started with the same seed serve byte-identical objects and metrics.
 */

// Globals are looked up through slow interceptors inside Jest's VM contexts; hot code binds them once.
const { floor: mFloor, imul: mImul } = Math;

/** A 32-bit integer hash of up to five integers (murmur3-style finaliser); the basis of lazy metrics. */
export function hash32(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = mImul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = mImul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = mImul(h ^ (h >>> 16) ^ c, 0x85ebca6b);
  h = mImul(h ^ (h >>> 13) ^ d, 0xc2b2ae35);
  h = mImul(h ^ (h >>> 16) ^ e, 0x27d4eb2f);
  h ^= h >>> 15;
  h = mImul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** A uniform float in [0, 1) derived from the hash of the given integers. */
export function unit(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return hash32(a, b, c, d, e) / 4294967296;
}

/** A 32-bit hash of a string, for mixing names (e.g. breakdown values) into hash32 keys. */
export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = mImul(h, 16777619);
  }
  return h >>> 0;
}

/** A seeded sequential generator (mulberry32) for eager object generation and fault draws. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed >>> 0, 0x5eed) || 1;
  }

  /** Next float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = mImul(t ^ (t >>> 15), t | 1);
    t ^= t + mImul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + mFloor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[mFloor(this.next() * items.length)] as T;
  }
}
