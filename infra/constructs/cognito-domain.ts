/**
 * The hosted sign-in's domain prefix (`{prefix}.auth.{region}.amazoncognito.com`), which anyone can read.
 * The default used to be `{stage}-{account id}`, publishing the account id to everyone who signs in. Now it
 * is the stage and five hex digits of a hash of the account and stage: 20 bits cannot be turned back into
 * an account (about a million account ids share each value), yet two deployers rarely get the same prefix
 * for the same stage. A prefix of your own choosing (`cognitoDomain`) is still better: it is the address
 * people see, and it cannot collide.
 */
import { createHash } from 'node:crypto';

/** Cognito's rule for prefixes; it also refuses the words aws, amazon and cognito in them. */
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED = /aws|amazon|cognito/;

/**
 * `chosen`, checked against Cognito's rules, or the default derived from the stage and account.
 *
 * @example
 * cognitoDomainPrefix('stint', '123456789012'); // 'stint-' + 5 hex digits, the same on every synth
 * cognitoDomainPrefix('stint', '123456789012', 'contoso-pim'); // 'contoso-pim'
 */
export function cognitoDomainPrefix(stage: string, account: string, chosen?: string): string {
  const prefix = chosen ?? defaultPrefix(stage, account);
  if (!PREFIX.test(prefix) || RESERVED.test(prefix)) {
    throw new Error(
      `Context "cognitoDomain" is the hosted sign-in's domain prefix: lowercase letters, digits and '-', without "aws", "amazon" or "cognito"; got "${prefix}".`,
    );
  }
  return prefix;
}

function defaultPrefix(stage: string, account: string): string {
  const digest = createHash('sha256').update(`stint-cognito-domain\0${account}\0${stage}`).digest('hex').slice(0, 5);
  // Room for '-' and the digest within Cognito's 63 characters; the reserved words cannot come from a stage.
  const base = stage
    .toLowerCase()
    .replace(/aws|amazon|cognito/g, 'x')
    .slice(0, 57)
    .replace(/-+$/, '');
  return `${base}-${digest}`;
}
