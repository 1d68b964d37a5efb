/** Business Manager: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { metaId, parseWith } from '../wire-values';
import { type Json, optStr } from './common';

export const BUSINESS_FIELDS = ['id', 'name', 'verification_status'] as const;

const businessSchema = z.looseObject({ id: metaId, name: optStr, verification_status: optStr });

export interface BusinessRecord {
  id: string;
  name: string | null;
  verificationStatus: string | null;
  raw: Json;
}

/** Parses a Business Manager. */
export function parseBusiness(raw: unknown): BusinessRecord {
  const b = parseWith(businessSchema, 'business', raw);
  return { id: b.id, name: b.name ?? null, verificationStatus: b.verification_status ?? null, raw };
}
