/**
 * Every key string of the table is built here and nowhere else. Prefixes keep entity types apart in the
 * overloaded indexes; lower-casing keeps look-ups by name or address case-insensitive, as Entra's are.
 */
import { createHash } from 'node:crypto';

/** Listings are spread over shards so that no entity type sits on one constant (hot) partition. */
export const LIST_SHARDS = 4;

export type DirectoryObjectType = 'user' | 'group' | 'servicePrincipal' | 'roleDefinition';

/** Listed entity types: directory objects plus the role-management records. */
export type ListedType =
  | DirectoryObjectType
  | 'eligibilitySchedule'
  | 'assignmentSchedule'
  | 'eligibilityRequest'
  | 'assignmentRequest'
  | 'groupEligibilitySchedule'
  | 'groupAssignmentSchedule'
  | 'groupEligibilityRequest'
  | 'groupAssignmentRequest'
  | 'policy'
  | 'audit'
  | 'auditChain'
  | 'accessReviewDefinition'
  | 'awsRoleDefinition'
  | 'awsAccount'
  | 'awsAssignment';

/** E: eligibility, A: admin-assigned active, C: activation. One slot of each per principal, role and scope. */
export type SlotKind = 'E' | 'A' | 'C';

export function shardOf(id: string, shards = LIST_SHARDS): number {
  return createHash('sha1').update(id).digest()[0]! % shards;
}

const lower = (value: string) => value.trim().toLowerCase();

export const keys = {
  object: (id: string) => ({ pk: `OBJ#${id}`, sk: 'OBJ' }),
  listing: (type: ListedType, id: string, sortKey = id) => ({ gsi1pk: listingPartition(type, shardOf(id)), gsi1sk: sortKey }),
  byMail: (type: DirectoryObjectType, mail: string, id: string) => ({ gsi2pk: `MAIL#${type}#${lower(mail)}`, gsi2sk: id }),
  byName: (type: DirectoryObjectType, name: string, id: string) => ({ gsi3pk: `NAME#${type}#${lower(name)}`, gsi3sk: id }),
  /**
   * A search entry: one item per searchable property value of a directory object (its displayName, a user's
   * userPrincipalName, mail), written in the object's own transactions. The partition is the type, the
   * property and the value's first character, so `startswith` is a `begins_with` on one partition, read in
   * order of the lower-cased value; the id ends the sort key so that equal names stay distinct.
   */
  searchEntry: (type: DirectoryObjectType, property: string, value: string, id: string) => {
    const key = searchKeyValue(value);
    return { pk: searchPartition(type, property, key), sk: `${key}${SEARCH_SEPARATOR}${id}` };
  },
  /** Uniqueness guard: an item whose existence reserves a value (userPrincipalName, appId, role name). */
  unique: (kind: 'UPN' | 'APPID' | 'ROLENAME', value: string) => ({ pk: `UNIQUE#${kind}#${lower(value)}`, sk: 'UNIQUE' }),
  membership: (groupId: string, memberId: string) => ({
    pk: `OBJ#${groupId}`,
    sk: `MEMBER#${memberId}`,
    gsi2pk: `MEMBEROF#${memberId}`,
    gsi2sk: groupId,
  }),
  /** Mirror of a membership in the member's principal partition (see memberships.ts). */
  memberOf: (memberId: string, groupId: string) => ({ pk: `PRN#${memberId}`, sk: `MEMBEROF#${groupId}` }),
  /**
   * Audit records: in their chain's partition (the first target) in time order; newest-first listing over
   * the sharded gsi1; by initiator on gsi2; by their second target (a role request's role, a membership's
   * member) on gsi3, so that "records about X" is two queries whichever place X holds.
   */
  audit: (chainId: string, actorId: string, activityDateTime: string, auditId: string, secondTargetId?: string) => ({
    pk: `AUDIT#${chainId}`,
    sk: `${activityDateTime}#${auditId}`,
    ...keys.listing('audit', auditId, `${activityDateTime}#${auditId}`),
    gsi2pk: `AUDITBY#${actorId}`,
    gsi2sk: `${activityDateTime}#${auditId}`,
    ...(secondTargetId && secondTargetId !== chainId ? { gsi3pk: `AUDITTO#${secondTargetId}`, gsi3sk: `${activityDateTime}#${auditId}` } : {}),
  }),
  /** The head of an audit chain: its last position and hash, moved only under a condition (audit-chain.ts). */
  auditChainHead: (chainId: string) => ({ pk: `CHAIN#${chainId}`, sk: 'HEAD', ...keys.listing('auditChain', chainId) }),
  /** A principal's schedules live in the principal's partition: "my roles" is one consistent query. */
  schedule: (principalId: string, kind: 'eligibility' | 'assignment', scheduleId: string) => ({
    pk: `PRN#${principalId}`,
    sk: `SCHED#${kind === 'eligibility' ? 'E' : 'A'}#${scheduleId}`,
  }),
  scheduleByRole: (roleId: string, kind: 'eligibility' | 'assignment', scopeKey: string, principalId: string, scheduleId: string) => ({
    gsi4pk: `ROLE#${roleId}`,
    gsi4sk: `${kind === 'eligibility' ? 'E' : 'A'}#${scopeKey}#${principalId}#${scheduleId}`,
  }),
  /** PIM for groups: who holds membership or ownership of group G (the by-role index, partitioned by group). */
  scheduleByGroup: (groupId: string, kind: 'eligibility' | 'assignment', accessId: string, principalId: string, scheduleId: string) => ({
    gsi4pk: `GROUP#${groupId}`,
    gsi4sk: `${kind === 'eligibility' ? 'E' : 'A'}#${accessId}#${principalId}#${scheduleId}`,
  }),
  /** Sparse: only schedules that end, by day of their end, for the sweeper and reminders. */
  scheduleEnd: (endDateTime: string, scheduleId: string) => ({ gsi5pk: `ENDS#${endDateTime.slice(0, 10)}`, gsi5sk: `${endDateTime}#${scheduleId}` }),
  /** Sparse: schedules still waiting to start (status Granted), by day of their start (sweeper). */
  scheduleStart: (startDateTime: string, scheduleId: string) => ({ gsi5pk: `STARTS#${startDateTime.slice(0, 10)}`, gsi5sk: `${startDateTime}#${scheduleId}` }),
  /** A sign-in identity (token issuer and subject) linked to the directory user it signs in as. */
  identity: (issuer: string, subject: string) => ({ pk: `IDENT#${issuer}#${subject}`, sk: 'IDENT' }),
  /** The sign-in identities of one user (their list): "has this user a link yet" is one condition, and they go with the user. */
  identitiesOf: (userId: string) => ({ pk: `IDENTOF#${userId}`, sk: 'IDENTS' }),
  /** The sweeper's own state (where its reminder scan got to). */
  sweeperState: () => ({ pk: 'SWEEPER', sk: 'STATE' }),
  /** Finds a schedule's principal from its id alone (Graph addresses schedules by id). */
  schedulePointer: (scheduleId: string) => ({ pk: `SCHED#${scheduleId}`, sk: 'PTR' }),
  /** Guards "one at a time": at most one live schedule per principal, slot kind, role and scope. */
  slot: (principalId: string, kind: SlotKind, roleId: string, scopeKey: string) => ({ pk: `PRN#${principalId}`, sk: `SLOT#${kind}#${roleId}#${scopeKey}` }),
  request: (requestId: string) => ({ pk: `REQ#${requestId}`, sk: 'REQ' }),
  /**
   * Every index of a request sorts by `{createdDateTime}#{id}`, so "created between T1 and T2" is a key
   * condition on whichever index a filter picks. (Requests stored before this had their bare id there.)
   */
  requestSortKey: (createdDateTime: string, requestId: string) => `${createdDateTime}#${requestId}`,
  requestByPrincipal: (principalId: string, sortKey: string) => ({ gsi4pk: `REQBY#${principalId}`, gsi4sk: sortKey }),
  /** History of a role's requests, per kind: one partition, as "who holds role R" is. Case-blind: the filter is re-checked exactly. */
  requestByRole: (kind: 'eligibility' | 'assignment', roleId: string, sortKey: string) => ({ gsi2pk: prefixes.requestsForRole(kind, roleId), gsi2sk: sortKey }),
  /** PIM for groups: a group's requests, per kind (its pseudo-roles member|owner would be one partition for every group). */
  requestByGroup: (kind: 'eligibility' | 'assignment', groupId: string, sortKey: string) => ({
    gsi2pk: prefixes.requestsForGroup(kind, groupId),
    gsi2sk: sortKey,
  }),
  /**
   * Requests of a listed type in a status, spread over the listing's shards by id: Provisioned would
   * otherwise take nearly every write of the type on one partition. Moves with every status change.
   */
  requestByStatus: (type: ListedType, status: string, requestId: string, sortKey: string) => ({
    gsi3pk: prefixes.requestsInStatus(type, status, shardOf(requestId)),
    gsi3sk: sortKey,
  }),
  /** A pending request awaiting this user's decision; written and deleted with the request itself. */
  approverEntry: (userId: string, requestId: string) => ({ pk: `APPROVER#${userId}`, sk: requestId }),
  /** A request this user is (or was) an approver of; written with the pending request and kept (approver history). */
  approverHistory: (userId: string, requestId: string) => ({ pk: `APPROVEDBY#${userId}`, sk: requestId }),
  policy: (policyId: string) => ({ pk: `POLICY#${policyId}`, sk: 'POLICY' }),
  /** Counts permanent active holders of a protected role (Global Administrator, Privileged Role Administrator). */
  guard: (roleId: string) => ({ pk: `GUARD#${roleId}`, sk: 'PERMANENT_ACTIVE' }),
  /** A group's stake in those counts: the protected roles it counts for and its standing user members counted. */
  groupGuard: (groupId: string) => ({ pk: `GUARD#GROUP#${groupId}`, sk: 'MEMBERS' }),
  /** An idempotency record for a create, found by the caller and a hash of the request. */
  idempotency: (callerId: string, fingerprint: string) => ({ pk: `IDEMP#${callerId}`, sk: fingerprint }),
  /**
   * A reminder that is due (an assignment expiring soon, an approval still pending): put once by the
   * sweeper under a condition, so each reminder is sent once; the stream turns it into email.
   */
  reminder: (targetId: string, reminderKind: string) => ({ pk: `REMIND#${targetId}`, sk: reminderKind }),
  /** Sparse: requests awaiting approval, by the day their current approval stage times out (sweeper). */
  approvalDeadline: (deadline: string, requestId: string) => ({ gsi5pk: `DUE#${deadline.slice(0, 10)}`, gsi5sk: `${deadline}#${requestId}` }),
  /** An access review definition; its instances live in the same partition, in start order. */
  reviewDefinition: (definitionId: string) => ({ pk: `REVIEW#${definitionId}`, sk: 'DEF' }),
  reviewInstance: (definitionId: string, instanceId: string) => ({ pk: `REVIEW#${definitionId}`, sk: `INST#${instanceId}` }),
  /** Sparse: a review definition with work due (an instance to start, remind or end), by the day it is due. */
  reviewDue: (at: string, definitionId: string) => ({ gsi5pk: `REVIEWDUE#${at.slice(0, 10)}`, gsi5sk: `${at}#${definitionId}` }),
  /** A decision item, in its instance's partition with the instance's reviewers. */
  reviewDecision: (instanceId: string, decisionId: string) => ({ pk: `REVIEWINST#${instanceId}`, sk: `DEC#${decisionId}` }),
  /** A reviewer of an instance; gsi2 lists a user's reviews ("filterByCurrentUser(on='reviewer')"). */
  reviewReviewer: (instanceId: string, userId: string) => ({
    pk: `REVIEWINST#${instanceId}`,
    sk: `REVIEWER#${userId}`,
    gsi2pk: `REVIEWS#${userId}`,
    gsi2sk: instanceId,
  }),
  /** An email sent for one stream record's notification to one address: a retried record does not send it again. */
  sentEmail: (delivery: string, address: string) => ({ pk: `SENT#${delivery}`, sk: address.trim().toLowerCase() }),
  /** When a user last signed in (an authenticated API request), moved at most hourly (sign-ins.ts). */
  lastSignIn: (userId: string) => ({ pk: `SIGNIN#${userId}`, sk: 'SIGNIN' }),
  /** Who gets the weekly digest (one item; absent: the defaults). */
  digestSettings: () => ({ pk: 'DIGEST', sk: 'SETTINGS' }),
  /** The weekly digest of one ISO week (e.g. 2026-W49): put once, under a condition, by the first run that sends it. */
  digestWeek: (week: string) => ({ pk: 'DIGEST', sk: `WEEK#${week}` }),
  /** When some access (a schedule, or a membership of a group) last allowed an access decision. */
  usage: (subject: string) => ({ pk: `USAGE#${subject}`, sk: 'USAGE' }),
  /** AWS access (shared/services/aws/): a permission set Stint manages, served as a role definition. */
  awsRoleDefinition: (permissionSetId: string) => ({ pk: `AWSROLE#${permissionSetId}`, sk: 'ROLE', ...keys.listing('awsRoleDefinition', permissionSetId) }),
  /** An account of the organization, with its OUs: the snapshot that resolves OU eligibility. */
  awsAccount: (accountId: string) => ({ pk: `AWSACCT#${accountId}`, sk: 'ACCOUNT', ...keys.listing('awsAccount', accountId) }),
  /** An OU or root of the organization (its name and parent). */
  awsUnit: (unitId: string) => ({ pk: `AWSOU#${unitId}`, sk: 'OU' }),
  /** A Stint user's identity-store user, matched once. */
  awsUser: (userId: string) => ({ pk: `AWSUSER#${userId}`, sk: 'AWSUSER' }),
  /** The identity-store user's Stint user: one Identity Center user is never matched to two Stint users. */
  awsUserOwner: (identityStoreUserId: string) => ({ pk: `AWSUSEROF#${identityStoreUserId}`, sk: 'AWSUSER' }),
  /** One account assignment (account, permission set, identity-store user): its holders and its state in AWS. */
  awsAssignment: (key: string) => ({ pk: `AWSASSIGN#${key}`, sk: 'ASSIGN', ...keys.listing('awsAssignment', key) }),
  /**
   * An assignment found on a managed permission set that Stint never granted, while it stays: put once (its
   * insertion on the stream is the email and the event), removed when it is gone. Few, read once a run: one partition.
   */
  awsOutside: (key: string) => ({ pk: 'AWSOUTSIDE', sk: key }),
  /** A PIM security alert's state; its changed settings; its incidents (one partition per alert type). */
  alert: (alertType: string) => ({ pk: `ALERT#${alertType}`, sk: 'ALERT' }),
  alertConfig: (alertType: string) => ({ pk: `ALERT#${alertType}`, sk: 'CONFIG' }),
  alertIncident: (alertType: string, incidentId: string) => ({ pk: `ALERT#${alertType}`, sk: `INC#${incidentId}` }),
  /** The lease of the alert evaluation under way, so two runs at once produce one set of incidents. */
  alertRun: () => ({ pk: 'ALERTRUN', sk: 'LEASE' }),
};

/**
 * Search keys hold at most this many characters of a value (code points, so at most 800 bytes: far below
 * DynamoDB's 1 KB sort key). A longer search prefix is cut to the same length for the key condition, and
 * every hit is checked against the whole value afterwards.
 */
export const SEARCH_KEY_CHARS = 200;

/** Sorts below every printable character, so that "ad" comes before "ad b" and "adam". Ids never hold it. */
const SEARCH_SEPARATOR = '\u0001';

/** The lower-cased, length-capped form of a value or of a search prefix, as search keys hold it. */
export function searchKeyValue(value: string): string {
  return Array.from(value.toLowerCase()).slice(0, SEARCH_KEY_CHARS).join('');
}

/** The partition holding every search entry of a type and property whose key starts like `keyPrefix` (not empty). */
export function searchPartition(type: DirectoryObjectType, property: string, keyPrefix: string): string {
  return `SEARCH#${type}#${property}#${Array.from(keyPrefix)[0] ?? ''}`;
}

export function listingPartition(type: ListedType, shard: number): string {
  return `LIST#${type}#${shard}`;
}

export const prefixes = {
  member: 'MEMBER#',
  mail: (type: DirectoryObjectType, mail: string) => `MAIL#${type}#${lower(mail)}`,
  name: (type: DirectoryObjectType, name: string) => `NAME#${type}#${lower(name)}`,
  memberOf: (memberId: string) => `MEMBEROF#${memberId}`,
  schedules: 'SCHED#',
  memberOfEntry: 'MEMBEROF#',
  schedulesOf: (kind: 'eligibility' | 'assignment') => `SCHED#${kind === 'eligibility' ? 'E' : 'A'}#`,
  role: (roleId: string) => `ROLE#${roleId}`,
  group: (groupId: string) => `GROUP#${groupId}`,
  requestsBy: (principalId: string) => `REQBY#${principalId}`,
  requestsForRole: (kind: 'eligibility' | 'assignment', roleId: string) => `REQROLE#${kind === 'eligibility' ? 'E' : 'A'}#${lower(roleId)}`,
  requestsForGroup: (kind: 'eligibility' | 'assignment', groupId: string) => `REQGROUP#${kind === 'eligibility' ? 'E' : 'A'}#${groupId}`,
  requestsInStatus: (type: ListedType, status: string, shard: number) => `REQSTATUS#${type}#${status}#${shard}`,
  auditBy: (actorId: string) => `AUDITBY#${actorId}`,
  /** The chain partition of an object's audit records (records whose first target it is). */
  auditChain: (chainId: string) => `AUDIT#${chainId}`,
  /** The gsi3 partition of audit records whose second target is this object. */
  auditAbout: (targetId: string) => `AUDITTO#${targetId}`,
  approver: (userId: string) => `APPROVER#${userId}`,
  /** The day partitions of the sparse "due" index (gsi5). */
  due: {
    ends: (day: string) => `ENDS#${day}`,
    starts: (day: string) => `STARTS#${day}`,
    approvals: (day: string) => `DUE#${day}`,
    reviews: (day: string) => `REVIEWDUE#${day}`,
  },
  alertIncidents: 'INC#',
  reviewInstances: 'INST#',
  reviewDecisions: 'DEC#',
  reviewReviewers: 'REVIEWER#',
  reviewsOf: (userId: string) => `REVIEWS#${userId}`,
  approverHistory: (userId: string) => `APPROVEDBY#${userId}`,
  /** The gsi5 partition of approval deadlines on a day (YYYY-MM-DD). */
  approvalsDueOn: (day: string) => `DUE#${day}`,
  /** Partition keys queried whole. */
  principal: (principalId: string) => `PRN#${principalId}`,
  reviewInstance: (instanceId: string) => `REVIEWINST#${instanceId}`,
};

/** The subject of a usage record, read back from its partition key. */
export function usageSubjectOf(pk: string): string {
  return pk.slice('USAGE#'.length);
}
