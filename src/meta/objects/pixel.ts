/** Pixel: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { metaId, optionalTime, parseWith } from '../wire-values';
import { type Json, optStr, optTime, toActId } from './common';

export const PIXEL_FIELDS = ['id', 'name', 'last_fired_time', 'creation_time', 'is_unavailable'] as const;

const pixelSchema = z.looseObject({
  id: metaId,
  name: optStr,
  last_fired_time: optTime,
  creation_time: optTime,
  is_unavailable: z.boolean().nullish(),
});

export interface PixelRecord {
  id: string;
  adAccountId: string;
  name: string | null;
  lastFiredTime: Date | null;
  creationTime: Date | null;
  isUnavailable: boolean | null;
  raw: Json;
}

/** Parses a pixel listed under `act_x/adspixels` (the account comes from the context). */
export function parsePixel(raw: unknown, ctx: { adAccountId: string }): PixelRecord {
  const p = parseWith(pixelSchema, 'pixel', raw);
  return {
    id: p.id,
    adAccountId: toActId(ctx.adAccountId),
    name: p.name ?? null,
    lastFiredTime: optionalTime(p.last_fired_time),
    creationTime: optionalTime(p.creation_time),
    isUnavailable: p.is_unavailable ?? null,
    raw,
  };
}
