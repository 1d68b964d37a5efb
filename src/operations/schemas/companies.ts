/** Companies (tenants): the operator's routes to create, rename, list, deactivate and reactivate them. */
import { z } from 'zod';
import { companyIdSchema, cursorSchema, limitSchema } from './common';
import { createApiTokenInput } from './api-tokens';

const companyNameSchema = z.string().trim().min(1, 'the company name must not be empty').max(200).describe('Company name, as people know it');

export const createCompanyInput = z.strictObject({ name: companyNameSchema });
export const companyRefInput = z.strictObject({ companyId: companyIdSchema });
export const renameCompanyInput = z.strictObject({ companyId: companyIdSchema, name: companyNameSchema });
export const listCompaniesInput = z.strictObject({
  status: z.enum(['active', 'deactivated']).optional().describe('Only companies in this state'),
  cursor: cursorSchema.optional(),
  limit: limitSchema(200, 50),
});
/** A token the operator issues to a company (its first admin, typically): company scopes only. */
export const createCompanyTokenInput = createApiTokenInput.extend({ companyId: companyIdSchema });

export const companyView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'deactivated']),
  createdAt: z.string(),
  updatedAt: z.string(),
  deactivatedAt: z.string().nullable(),
});
export const deactivatedCompanyView = companyView.extend({
  pausedSchedules: z.array(z.string()).describe('Schedules this call paused (ones already paused are left as they were, and stay paused on reactivation)'),
});
export const reactivatedCompanyView = companyView.extend({
  resumedSchedules: z.array(z.string()).describe('Schedules the deactivation had paused, resumed by this call'),
});
