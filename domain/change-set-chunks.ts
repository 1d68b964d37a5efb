/**
 * Apply order of a change set: items go out in chunks, one Graph batch each, of at most 50
 * items, one level per chunk (a live read asks the same fields of every object), and never two
 * ad sets of one campaign in one chunk (Meta's batch rule). Ad sets are packed first-fit in
 * rounds (each campaign's first ad set, then its second...), which reaches the lower bound
 * max(⌈n / 50⌉, most ad sets of one campaign) whenever the campaigns allow it.
 */
import type { ChangeLevel } from './change-set-vocabulary';

/** Most items per Graph batch. */
export const MAX_CHUNK_SIZE = 50;

/** What chunking needs of an item. */
export interface ChunkableItem {
  position: number;
  level: ChangeLevel;
  campaignId: string | null;
  /** Creates go out one per chunk (each is its own request, searched for before a retry). */
  create?: boolean;
}

/** Chunk index per item position (0-based, dense), plus how many chunks there are. */
export function assignChunks(items: readonly ChunkableItem[], maxSize: number = MAX_CHUNK_SIZE): { chunkOf: Map<number, number>; chunkCount: number } {
  const chunkOf = new Map<number, number>();
  let next = 0;
  const levels: ChangeLevel[] = ['campaign', 'adset', 'ad'];
  const creates = items.filter((i) => i.create);
  for (const item of creates) chunkOf.set(item.position, next++);
  for (const level of levels) {
    const ofLevel = items.filter((i) => i.level === level && !i.create).sort((a, b) => a.position - b.position);
    if (ofLevel.length === 0) continue;
    if (level !== 'adset') {
      for (let i = 0; i < ofLevel.length; i++) chunkOf.set(ofLevel[i]!.position, next + Math.floor(i / maxSize));
      next += Math.ceil(ofLevel.length / maxSize);
      continue;
    }
    // Rounds: the k-th ad set of every campaign comes before any campaign's (k+1)-th.
    const rank = new Map<string, number>();
    const ordered = ofLevel
      .map((item) => {
        const key = item.campaignId ?? `none:${item.position}`;
        const r = rank.get(key) ?? 0;
        rank.set(key, r + 1);
        return { item, round: r, key };
      })
      .sort((a, b) => a.round - b.round || a.item.position - b.item.position);
    const chunks: Array<{ size: number; campaigns: Set<string> }> = [];
    let firstOpen = 0;
    for (const { item, key } of ordered) {
      let c = firstOpen;
      while (c < chunks.length && (chunks[c]!.size >= maxSize || chunks[c]!.campaigns.has(key))) c++;
      if (c === chunks.length) chunks.push({ size: 0, campaigns: new Set() });
      const chunk = chunks[c]!;
      chunk.size++;
      chunk.campaigns.add(key);
      chunkOf.set(item.position, next + c);
      while (firstOpen < chunks.length && chunks[firstOpen]!.size >= maxSize) firstOpen++;
    }
    next += chunks.length;
  }
  return { chunkOf, chunkCount: next };
}
