/** Ad account: its Graph API field list, wire schema and parser to a database record. */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { looseDecimalString, metaId, optionalTime, parseWith } from '../wire-values';
import { idRef, type Json, minorOrNull, optId, optInt, optMinor, optStr, optTime, toActId } from './common';

export const AD_ACCOUNT_FIELDS = [
  'id', 'account_id', 'name', 'account_status', 'disable_reason', 'currency', 'timezone_name', 'timezone_id',
  'timezone_offset_hours_utc', 'amount_spent', 'balance', 'spend_cap', 'min_daily_budget', 'created_time', 'business',
] as const;

const adAccountSchema = z.looseObject({
  id: metaId,
  account_id: optId,
  name: optStr,
  account_status: optInt,
  disable_reason: optInt,
  currency: z.string().nullish(),
  timezone_name: optStr,
  timezone_offset_hours_utc: looseDecimalString.nullish(),
  amount_spent: optMinor,
  balance: optMinor,
  spend_cap: optMinor,
  created_time: optTime,
  business: idRef,
});

export interface AdAccountRecord {
  /** `act_<n>` */
  id: string;
  /** bare `<n>` */
  accountId: string;
  businessId: string | null;
  name: string | null;
  accountStatus: number | null;
  disableReason: number | null;
  currency: string | null;
  timezoneName: string | null;
  timezoneOffsetHours: Decimal | null;
  amountSpent: Decimal | null;
  balance: Decimal | null;
  /** null when Meta says "0" (no cap). */
  spendCap: Decimal | null;
  createdTime: Date | null;
  raw: Json;
}

/** Parses an ad account; money uses the account's own currency field. */
export function parseAdAccount(raw: unknown): AdAccountRecord {
  const a = parseWith(adAccountSchema, 'ad account', raw);
  const bare = a.account_id ?? a.id.replace(/^act_/, '');
  const currency = a.currency ?? null;
  const money = (v: string | number | null | undefined, zeroIsNull = false): Decimal | null =>
    currency ? minorOrNull(v, currency, zeroIsNull) : null;
  return {
    id: toActId(a.id),
    accountId: bare,
    businessId: a.business?.id ?? null,
    name: a.name ?? null,
    accountStatus: a.account_status ?? null,
    disableReason: a.disable_reason ?? null,
    currency,
    timezoneName: a.timezone_name ?? null,
    timezoneOffsetHours: a.timezone_offset_hours_utc == null ? null : new Decimal(a.timezone_offset_hours_utc),
    amountSpent: money(a.amount_spent),
    balance: money(a.balance),
    spendCap: money(a.spend_cap, true),
    createdTime: optionalTime(a.created_time),
    raw,
  };
}
