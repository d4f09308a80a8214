import { z } from 'zod';

/**
 * The shapes business data arrives in (the demo's files, an HTTP provider's
 * answers), checked on the way in: anything else is refused, not guessed at.
 */
export const orderSchema = z.object({
  orderNumber: z.string().min(1).max(64),
  status: z.enum(['processing', 'shipped', 'delivered', 'cancelled']),
  statusDate: z.iso.date(),
  estimatedDelivery: z.iso.date().optional(),
  items: z.array(z.string().max(500)).max(200),
  total: z.number().nonnegative(),
  customerEmail: z.string().max(320).optional(),
});

export const customerProfileSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  firstName: z.string().min(1).max(100).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  tier: z.string().max(100).optional(),
});

export const customerCaseSchema = z.object({
  id: z.string().min(1).max(200),
  subject: z.string().max(500),
  status: z.string().min(1).max(100),
  updatedAt: z.string().max(40).optional(),
});
