/** Instagram business account: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { metaId, parseWith } from '../wire-values';
import { type Json, optStr } from './common';

export const INSTAGRAM_ACCOUNT_FIELDS = ['id', 'username'] as const;

const instagramAccountSchema = z.looseObject({ id: metaId, username: optStr });

export interface InstagramAccountRecord {
  id: string;
  pageId: string | null;
  username: string | null;
  raw: Json;
}

/** Parses an Instagram business account. */
export function parseInstagramAccount(raw: unknown, ctx: { pageId?: string } = {}): InstagramAccountRecord {
  const i = parseWith(instagramAccountSchema, 'instagram account', raw);
  return { id: i.id, pageId: ctx.pageId ?? null, username: i.username ?? null, raw };
}
