/** Business user: its Graph API field list, wire schema and parser to a database record. */
import { z } from 'zod';
import { metaId, parseWith } from '../wire-values';
import { type Json, optStr } from './common';

export const BUSINESS_USER_FIELDS = ['id', 'name', 'email', 'role'] as const;

const businessUserSchema = z.looseObject({ id: metaId, name: optStr, email: optStr, role: optStr });

export interface BusinessUserRecord {
  id: string;
  businessId: string;
  name: string | null;
  email: string | null;
  role: string | null;
  raw: Json;
}

/** Parses a business user (listed under `<business>/business_users`). */
export function parseBusinessUser(raw: unknown, ctx: { businessId: string }): BusinessUserRecord {
  const u = parseWith(businessUserSchema, 'business user', raw);
  return { id: u.id, businessId: ctx.businessId, name: u.name ?? null, email: u.email ?? null, role: u.role ?? null, raw };
}
