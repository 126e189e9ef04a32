/** Graph-shaped users, groups and service principals: what is stored, what is accepted, what is returned. */
import * as z from 'zod';
import { emailAddress, nonEmpty, odataType, userPrincipalName } from './common.ts';

const optionalText = (max: number) => z.string().max(max).nullable().optional();

export const userSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  mail: z.string().nullable(),
  mailNickname: z.string().nullable(),
  givenName: z.string().nullable(),
  surname: z.string().nullable(),
  jobTitle: z.string().nullable(),
  department: z.string().nullable(),
  officeLocation: z.string().nullable(),
  mobilePhone: z.string().nullable(),
  businessPhones: z.array(z.string()),
  accountEnabled: z.boolean(),
  usageLocation: z.string().nullable(),
  preferredLanguage: z.string().nullable(),
  employeeId: z.string().nullable(),
  companyName: z.string().nullable(),
  createdDateTime: z.string(),
});
export type User = z.infer<typeof userSchema>;

const userEditable = {
  displayName: nonEmpty(256),
  mail: emailAddress.nullable().optional(),
  mailNickname: optionalText(64),
  givenName: optionalText(64),
  surname: optionalText(64),
  jobTitle: optionalText(128),
  department: optionalText(64),
  officeLocation: optionalText(128),
  mobilePhone: optionalText(64),
  businessPhones: z.array(z.string().max(64)).max(1).optional(),
  accountEnabled: z.boolean().optional(),
  usageLocation: z.string().length(2).nullable().optional(),
  preferredLanguage: optionalText(16),
  employeeId: optionalText(16),
  companyName: optionalText(64),
};

/**
 * Graph's create body. `passwordProfile` and the other credential fields are accepted so that existing
 * scripts work, and ignored: sign-in belongs to the identity provider, not to Stint.
 */
export const userCreateSchema = z.strictObject({
  '@odata.type': odataType('user'),
  ...userEditable,
  userPrincipalName,
  passwordProfile: z.looseObject({}).optional(),
  passwordPolicies: z.string().optional(),
  identities: z.array(z.looseObject({})).optional(),
  otherMails: z.array(emailAddress).max(20).optional(),
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .strictObject({
    ...userEditable,
    displayName: userEditable.displayName.optional(),
    userPrincipalName: userPrincipalName.optional(),
    passwordProfile: z.looseObject({}).optional(),
    passwordPolicies: z.string().optional(),
    otherMails: z.array(emailAddress).max(20).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'The request body must change at least one property.');
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const groupSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  mail: z.string().nullable(),
  mailNickname: z.string(),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
  groupTypes: z.array(z.string()),
  isAssignableToRole: z.boolean(),
  visibility: z.string().nullable(),
  createdDateTime: z.string(),
});
export type Group = z.infer<typeof groupSchema>;

export const groupCreateSchema = z.strictObject({
  '@odata.type': odataType('group'),
  displayName: nonEmpty(256),
  description: z.string().max(1024).nullable().optional(),
  mailNickname: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, dot, underscore and hyphen'),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
  mail: emailAddress.nullable().optional(),
  groupTypes: z
    .array(z.enum(['Unified', 'DynamicMembership']))
    .max(2)
    .optional(),
  isAssignableToRole: z.boolean().optional(),
  visibility: z.enum(['Public', 'Private', 'HiddenMembership']).nullable().optional(),
  'members@odata.bind': z.array(z.string().max(2048)).max(20).optional(),
});
export type GroupCreate = z.infer<typeof groupCreateSchema>;

export const groupUpdateSchema = z
  .strictObject({
    displayName: nonEmpty(256).optional(),
    description: z.string().max(1024).nullable().optional(),
    mailNickname: groupCreateSchema.shape.mailNickname.optional(),
    mail: emailAddress.nullable().optional(),
    visibility: z.enum(['Public', 'Private', 'HiddenMembership']).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'The request body must change at least one property.');
export type GroupUpdate = z.infer<typeof groupUpdateSchema>;

export const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  appDisplayName: z.string().nullable(),
  description: z.string().nullable(),
  servicePrincipalType: z.enum(['Application', 'ManagedIdentity']),
  accountEnabled: z.boolean(),
  tags: z.array(z.string()),
  createdDateTime: z.string(),
});
export type ServicePrincipal = z.infer<typeof servicePrincipalSchema>;

/** As answered: Graph v1.0's servicePrincipal has no createdDateTime, so Stint shows its own as the annotation `@stint.createdDateTime`. */
export const servicePrincipalViewSchema = servicePrincipalSchema.omit({ createdDateTime: true }).extend({ '@stint.createdDateTime': z.string() });

export function servicePrincipalView(sp: ServicePrincipal): z.infer<typeof servicePrincipalViewSchema> {
  const { createdDateTime, ...graph } = sp;
  return { ...graph, '@stint.createdDateTime': createdDateTime };
}

export const servicePrincipalCreateSchema = z.strictObject({
  '@odata.type': odataType('servicePrincipal'),
  appId: z.string().trim().min(1).max(128),
  displayName: nonEmpty(256).optional(),
  description: z.string().max(1024).nullable().optional(),
  servicePrincipalType: z.enum(['Application', 'ManagedIdentity']).optional(),
  accountEnabled: z.boolean().optional(),
  tags: z.array(z.string().max(256)).max(50).optional(),
});
export type ServicePrincipalCreate = z.infer<typeof servicePrincipalCreateSchema>;

/** What Graph lets a PATCH change that Stint keeps; the appId and type are fixed at creation. */
export const servicePrincipalUpdateSchema = z
  .strictObject({
    displayName: nonEmpty(256).optional(),
    description: servicePrincipalCreateSchema.shape.description,
    accountEnabled: z.boolean().optional(),
    tags: servicePrincipalCreateSchema.shape.tags,
  })
  .refine((body) => Object.keys(body).length > 0, 'The request body must change at least one property.');
export type ServicePrincipalUpdate = z.infer<typeof servicePrincipalUpdateSchema>;

/** Every property a directoryObject (in members and memberOf) may have, whatever its type: what `$select` may name there. */
export const directoryObjectProperties: readonly string[] = [
  ...new Set(['@odata.type', ...Object.keys(userSchema.shape), ...Object.keys(groupSchema.shape), ...Object.keys(servicePrincipalViewSchema.shape)]),
];

/** `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}` — any host; the id is the last segment. */
export const directoryObjectRefSchema = z.strictObject({
  '@odata.id': z
    .string()
    .max(2048)
    .regex(/\/(directoryObjects|users|groups|servicePrincipals)\/[^/]+\/?$/, "must end with '/directoryObjects/{id}'"),
});

/**
 * Graph's objectIdentity: a sign-in identity of a user. `issuer` is the token's `iss` exactly and
 * `issuerAssignedId` its subject; Stint's identities are all federated.
 */
export const objectIdentitySchema = z.strictObject({
  signInType: z.literal('federated').default('federated'),
  issuer: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .regex(/^https?:\/\/\S+$/, "issuer must be the URL in the tokens' iss claim"),
  issuerAssignedId: z.string().trim().min(1).max(256),
});
export type ObjectIdentity = z.infer<typeof objectIdentitySchema>;
