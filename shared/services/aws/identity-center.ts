/**
 * What Stint needs from AWS to grant access: IAM Identity Center account assignments, the identity store
 * and the organization's tree. One port, two adapters built on the same SDK calls: AWS itself, and locally
 * moto_server (the endpoint is the only difference). Errors are the SDK's own, unrenamed
 * (ThrottlingException, ConflictException, InternalServerException, ResourceNotFoundException,
 * AccessDeniedException, ValidationException): the state machines retry by those names.
 */

/** One account assignment: an identity-store user given a permission set in an account. */
export interface AssignmentTarget {
  accountId: string;
  permissionSetArn: string;
  /** The identity-store user id (never a Stint id). */
  userId: string;
}

/** The state of an asynchronous create or delete, as Identity Center reports it. */
export interface AssignmentOperation {
  /** Identity Center's request id, to ask for the status with. */
  requestId: string;
  status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
}

export interface PermissionSet {
  arn: string;
  name: string;
  description?: string;
  /** ISO 8601 duration of the sessions it issues (PT1H … PT12H); absent: AWS's default, one hour. */
  sessionDuration?: string;
  /** Tagged stint:managed=true: the connector may assign it. */
  managed: boolean;
}

export interface OrganizationUnit {
  id: string;
  name: string;
  /** The parent OU or root id. */
  parentId: string;
}

export interface OrganizationAccount {
  id: string;
  name: string;
  status: string;
  /** The OUs above it, nearest first, ending with the root id (r-…). */
  parents: string[];
}

export interface Organization {
  rootId: string;
  /** The management account (Identity Center's delegated administrator cannot assign into it). */
  managementAccountId?: string;
  units: OrganizationUnit[];
  accounts: OrganizationAccount[];
}

export interface IdentityCenter {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  createAssignment(target: AssignmentTarget): Promise<AssignmentOperation>;
  deleteAssignment(target: AssignmentTarget): Promise<AssignmentOperation>;
  creationStatus(requestId: string): Promise<AssignmentOperation>;
  deletionStatus(requestId: string): Promise<AssignmentOperation>;
  /** The USER assignments of a permission set in an account (all pages). */
  listAssignments(accountId: string, permissionSetArn: string): Promise<AssignmentTarget[]>;
  /** Every permission set of the instance, tagged or not (all pages). */
  listPermissionSets(): Promise<PermissionSet[]>;
  /** One permission set; undefined when it does not exist. */
  describePermissionSet(arn: string): Promise<PermissionSet | undefined>;
  /** The identity-store user whose userName is exactly this; undefined when none. */
  findUserIdByUserName(userName: string): Promise<string | undefined>;
  /** The userName of an identity-store user; undefined when none (to name who holds an assignment made outside Stint). */
  userNameOf(userId: string): Promise<string | undefined>;
  /** The whole organization: root, OUs and accounts with their parents. */
  describeOrganization(): Promise<Organization>;
}
