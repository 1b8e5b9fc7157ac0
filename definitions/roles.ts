/**
 * Role ids of the shared AccessManager, mirroring contracts/libraries/Roles.sol.
 * A test checks the two agree by reading the role labels the deployment sets.
 */
export const Roles = {
  ADMIN: 0n,
  REGISTRAR: 1n,
  PLEDGEE: 2n,
  EVALUATOR: 3n,
  ORIGINATOR: 4n,
  AUDITOR: 5n,
  PLEDGE_REGISTRY: 6n,
} as const;

export type RoleName = keyof typeof Roles;
/** The role names in role-id order. */
export const ROLE_NAMES = Object.keys(Roles) as [RoleName, ...RoleName[]];

/**
 * The gateway's organisation roles (SPEC §2), each with the AccessManager role its address holds on chain; an
 * investor holds none (the InvestorRegistry identifies investors). The gateway's list of roles is this one's keys.
 */
export const ORGANISATION_ROLES = {
  registrar: "REGISTRAR",
  pledgee: "PLEDGEE",
  evaluator: "EVALUATOR",
  originator: "ORIGINATOR",
  investor: null,
  auditor: "AUDITOR",
} as const satisfies Record<string, RoleName | null>;

export type OrganisationRole = keyof typeof ORGANISATION_ROLES;

export const roleLabels: Record<RoleName, string> = {
  ADMIN: "ADMIN",
  REGISTRAR: "REGISTRAR",
  PLEDGEE: "LICENSED_PLEDGEE",
  EVALUATOR: "EVALUATOR",
  ORIGINATOR: "ORIGINATOR",
  AUDITOR: "AUDITOR",
  PLEDGE_REGISTRY: "PLEDGE_REGISTRY_CONTRACT",
};
