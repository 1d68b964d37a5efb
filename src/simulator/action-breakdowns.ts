/**
 * `action_breakdowns`: Meta's values (from the official SDK) and how each splits an action
 * entry. A dimension splits only the action types it describes (devices split every action,
 * video types only video views, reactions only post reactions); other entries stay whole and
 * carry no key for it, as Meta's do. Every window's integer count (or minor-unit value) is
 * split by cumulative rounding, so the pieces of an entry add up exactly to the unsplit entry.
 */
import { DOCUMENTED_ACTION_BREAKDOWNS } from './documented-fields';
import { invalidParameter } from './graph-errors';
import { hashString, unit } from './seeded-random';

/** Facts of the row's account that some dimensions name (targets, destinations). */
export interface ActionTargets {
  pageId?: string;
  pixelId?: string;
}

type Values = (actionType: string, t: ActionTargets) => readonly string[] | undefined;

const PAGE_ACTIONS = new Set(['post_engagement', 'lead', 'post_reaction', 'like', 'comment']);
const VIDEO_ACTIONS = new Set(['video_view']);
const DEVICES = ['iphone', 'android_smartphone', 'desktop', 'ipad', 'android_tablet', 'other'];

const DIMENSIONS: Record<string, Values> = {
  action_device: () => DEVICES,
  action_target_id: (type, t) => {
    const id = PAGE_ACTIONS.has(type) ? t.pageId : type.startsWith('offsite_conversion') ? t.pixelId : t.pageId;
    return id ? [id] : undefined;
  },
  action_destination: (type, t) => (PAGE_ACTIONS.has(type) ? (t.pageId ? [t.pageId] : undefined) : ['example.com']),
  conversion_destination: (type) => (PAGE_ACTIONS.has(type) ? ['on_ad'] : ['website']),
  action_reaction: (type) => (type === 'post_reaction' ? ['like', 'love', 'care', 'haha', 'wow', 'sorry', 'anger'] : undefined),
  action_video_type: (type) => (VIDEO_ACTIONS.has(type) ? ['auto_play', 'click_to_play'] : undefined),
  action_video_sound: (type) => (VIDEO_ACTIONS.has(type) ? ['sound_on', 'sound_off'] : undefined),
  standard_event_content_type: (type) => (type === 'offsite_conversion.fb_pixel_purchase' ? ['product'] : undefined),
  signal_source_bucket: (type) => (type.startsWith('offsite_conversion') ? ['website'] : undefined),
  // The simulated world has no canvases, carousels or personas: these split nothing.
  action_canvas_component_name: () => undefined,
  action_carousel_card_id: () => undefined,
  action_carousel_card_name: () => undefined,
  matched_persona_id: () => undefined,
  matched_persona_name: () => undefined,
};

/** Validate `action_breakdowns`; returns the dimensions beyond action_type, in request order. */
export function parseActionBreakdowns(list: readonly string[]): string[] {
  list.forEach((b, i) => {
    if (!DOCUMENTED_ACTION_BREAKDOWNS.includes(b)) {
      throw invalidParameter(`(#100) action_breakdowns[${i}] must be one of the following values: ${DOCUMENTED_ACTION_BREAKDOWNS.join(', ')}`);
    }
  });
  return [...new Set(list.filter((b) => b !== 'action_type'))];
}

/** One piece of a split entry: its labels and one integer per input number. */
export interface ActionPiece {
  labels: Record<string, string>;
  numbers: number[];
}

/** Split integers into parts proportional to weights, exactly (cumulative rounding). */
export function splitExact(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  let given = 0;
  for (const w of weights) {
    acc += w;
    const upTo = Math.round((n * acc) / total);
    out.push(upTo - given);
    given = upTo;
  }
  return out;
}

/**
 * Split one action entry's numbers (per-window counts or values) along the requested
 * dimensions. `salt` keeps different rows' shares apart (e.g. the row's entity).
 */
export function splitAction(
  seed: number, salt: number, actionType: string, numbers: readonly number[], dims: readonly string[], targets: ActionTargets,
): ActionPiece[] {
  let pieces: ActionPiece[] = [{ labels: {}, numbers: [...numbers] }];
  for (const dim of dims) {
    const values = DIMENSIONS[dim]?.(actionType, targets);
    if (!values || !values.length) continue;
    const dimHash = hashString(`${dim}|${actionType}`);
    const weights = values.map((_, i) => 0.2 + unit(seed, salt, dimHash, i + 1));
    const next: ActionPiece[] = [];
    for (const p of pieces) {
      const parts = p.numbers.map((n) => splitExact(n, weights));
      values.forEach((v, i) => next.push({ labels: { ...p.labels, [dim]: v }, numbers: parts.map((ps) => ps[i] ?? 0) }));
    }
    pieces = next;
  }
  return pieces;
}
