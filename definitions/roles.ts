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

export const roleLabels: Record<RoleName, string> = {
  ADMIN: "ADMIN",
  REGISTRAR: "REGISTRAR",
  PLEDGEE: "LICENSED_PLEDGEE",
  EVALUATOR: "EVALUATOR",
  ORIGINATOR: "ORIGINATOR",
  AUDITOR: "AUDITOR",
  PLEDGE_REGISTRY: "PLEDGE_REGISTRY_CONTRACT",
};
