import * as z from 'zod';

/** Graph sends `@odata.type` on create bodies; it is accepted and must name the right type. */
export const odataType = (type: string) => z.literal(`#microsoft.graph.${type}`, { error: `@odata.type must be '#microsoft.graph.${type}'` }).optional();

export const nonEmpty = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** userPrincipalName: alias@domain, as Entra requires. */
export const userPrincipalName = z
  .string()
  .trim()
  .max(113)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must look like 'alias@domain.tld'");

export const emailAddress = z
  .string()
  .trim()
  .max(256)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');

export const isoDateTime = z.iso.datetime({ offset: true });

export const idParam = z.string().min(1).max(256);

/** The standard OData query options of a collection. */
export const collectionQuery = z.strictObject({
  $filter: z.string().max(2000).optional(),
  $top: z.coerce.number().int().min(1).max(999).optional(),
  $skiptoken: z.string().max(4096).optional(),
  $select: z.string().max(1000).optional(),
});

export const entityQuery = z.strictObject({
  $select: z.string().max(1000).optional(),
});

export const collectionOf = <T extends z.ZodType>(item: T) =>
  z.object({
    '@odata.context': z.string(),
    '@odata.nextLink': z.string().optional(),
    '@odata.count': z.number().optional(),
    value: z.array(item),
  });

export const graphError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ code: z.string(), target: z.string().optional(), message: z.string() })).optional(),
    innerError: z.object({ 'request-id': z.string(), date: z.string(), 'client-request-id': z.string().optional() }),
  }),
});
