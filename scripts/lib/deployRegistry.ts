/**
 * Deploys and wires the registry contracts: one AccessManager, the asset register, the valuation registry, loss
 * sharing, the pledge registry and its read-only lens, the licence registry and the investor registry; gives each restricted function its
 * role; makes the registrar the admin of the roles it licenses. Receivable pools are deployed one per special plan
 * by `deployPool` (scripts/lib/deployPool.ts).
 * Used by the test fixtures and the deployment script alike, so tests run against the production wiring.
 */
import type { Signer } from "ethers";
import {
  IPAssetRegister__factory,
  InvestorRegistry__factory,
  LicenceRegistry__factory,
  LossSharing__factory,
  PledgeLens__factory,
  PledgeRules__factory,
  PledgeRegistry__factory,
  RegistryAccessManager__factory,
  ValuationRegistry__factory,
  type IPAssetRegister,
  type InvestorRegistry,
  type LicenceRegistry,
  type LossSharing,
  type PledgeLens,
  type PledgeRegistry,
  type RegistryAccessManager,
  type ValuationRegistry,
} from "../../typechain-types";
import { ContractFactory, encodeBytes32String } from "ethers";
import { Roles, roleLabels, type RoleName } from "../../definitions/roles";
import { RISK_SCHEMES, schemePartiesOnChain } from "../../definitions/riskSchemes";

export interface RegistryContracts {
  accessManager: RegistryAccessManager;
  assetRegister: IPAssetRegister;
  valuationRegistry: ValuationRegistry;
  lossSharing: LossSharing;
  pledgeRegistry: PledgeRegistry;
  /** Read-only lens on the pledge registry: the preflight of the rules and the digests parties sign. */
  pledgeLens: PledgeLens;
  licenceRegistry: LicenceRegistry;
  investorRegistry: InvestorRegistry;
  /** Scheme key (e.g. "zhongshan") → on-chain scheme id. */
  schemeIds: Record<string, bigint>;
}

export interface DeployOptions {
  /** Holds ADMIN: wires roles, configures schemes, pauses. Sends every deployment transaction. */
  admin: Signer;
  /** The registration office's address. */
  registrar: string;
  /**
   * What the pledge registry asks about valuation reports: by default the deployed ValuationRegistry; tests of the
   * pledge rules pass a stand-in implementing IValuationVerifier to set any verdict they need.
   */
  valuationVerifier?: string;
  /** Create the SPEC's five risk-compensation schemes (default true). */
  withRiskSchemes?: boolean;
}

/** Which role may call which restricted function. Functions left out stay ADMIN-only (AccessManager's default). */
const REGISTRAR_FUNCTIONS = {
  assetRegister: [
    "recordAsset",
    "recordTerm",
    "recordAnnualFees",
    "recordStatus",
    "recordInvalidationProceedings",
    "recordFreeze",
    "recordHolders",
  ],
  pledgeRegistry: ["register", "refuse", "setInstantRegistration"],
  valuationRegistry: ["revokeAsRegistrar", "revokeBatchAsRegistrar"],
} as const;

export async function deployRegistry(options: DeployOptions): Promise<RegistryContracts> {
  const { admin } = options;
  const adminAddress = await admin.getAddress();

  const accessManager = await new RegistryAccessManager__factory(admin).deploy(adminAddress);
  await accessManager.waitForDeployment();
  const managerAddress = await accessManager.getAddress();

  const assetRegister = await new IPAssetRegister__factory(admin).deploy(managerAddress);
  const valuationRegistry = await new ValuationRegistry__factory(admin).deploy(managerAddress);
  const lossSharing = await new LossSharing__factory(admin).deploy(managerAddress);
  await Promise.all([
    assetRegister.waitForDeployment(),
    valuationRegistry.waitForDeployment(),
    lossSharing.waitForDeployment(),
  ]);
  // The SPEC §4.2 rules engine is one library, deployed once and linked into the register and its lens. It is never
  // called through ethers, so it is deployed by its bytecode alone: its ABI names contract and enum types in
  // external library functions, which ethers cannot parse (it printed an "Invalid Fragment" warning per function).
  const pledgeRules = await new ContractFactory([], PledgeRules__factory.bytecode, admin).deploy();
  await pledgeRules.waitForDeployment();
  const linked = { "contracts/libraries/PledgeRules.sol:PledgeRules": await pledgeRules.getAddress() };
  const pledgeRegistry = await new PledgeRegistry__factory(linked, admin).deploy(
    managerAddress,
    await assetRegister.getAddress(),
    options.valuationVerifier ?? (await valuationRegistry.getAddress()),
    await lossSharing.getAddress(),
  );
  await pledgeRegistry.waitForDeployment();
  const pledgeLens = await new PledgeLens__factory(linked, admin).deploy(await pledgeRegistry.getAddress());
  const licenceRegistry = await new LicenceRegistry__factory(admin).deploy(
    managerAddress,
    await assetRegister.getAddress(),
  );
  const investorRegistry = await new InvestorRegistry__factory(admin).deploy(managerAddress);
  await Promise.all([
    pledgeLens.waitForDeployment(),
    licenceRegistry.waitForDeployment(),
    investorRegistry.waitForDeployment(),
  ]);

  const send = async (tx: Promise<{ wait: () => Promise<unknown> }>) => (await tx).wait();

  for (const name of Object.keys(Roles) as RoleName[]) {
    if (name !== "ADMIN") await send(accessManager.labelRole(Roles[name], roleLabels[name]));
  }
  await send(accessManager.setRoleAdmin(Roles.PLEDGEE, Roles.REGISTRAR));
  await send(accessManager.setRoleAdmin(Roles.EVALUATOR, Roles.REGISTRAR));

  type Target = {
    getAddress(): Promise<string>;
    interface: { getFunction(name: string): { selector: string } | null };
  };
  const permissions: [Target, readonly string[], bigint][] = [
    [assetRegister, REGISTRAR_FUNCTIONS.assetRegister, Roles.REGISTRAR],
    [pledgeRegistry, REGISTRAR_FUNCTIONS.pledgeRegistry, Roles.REGISTRAR],
    [valuationRegistry, REGISTRAR_FUNCTIONS.valuationRegistry, Roles.REGISTRAR],
    [lossSharing, ["allocate"], Roles.PLEDGE_REGISTRY],
  ];
  for (const [target, names, role] of permissions) {
    const selectors = names.map((n) => target.interface.getFunction(n)!.selector);
    await send(accessManager.setTargetFunctionRole(await target.getAddress(), selectors, role));
  }
  await send(accessManager.grantRole(Roles.PLEDGE_REGISTRY, await pledgeRegistry.getAddress(), 0));
  await send(accessManager.grantRole(Roles.REGISTRAR, options.registrar, 0));

  const schemeIds: Record<string, bigint> = {};
  if (options.withRiskSchemes ?? true) {
    for (const scheme of RISK_SCHEMES) {
      const tx = await lossSharing.createScheme(encodeBytes32String(scheme.name), schemePartiesOnChain(scheme));
      const receipt = await tx.wait();
      const created = receipt!.logs
        .map((log) => lossSharing.interface.parseLog(log))
        .find((parsed) => parsed?.name === "SchemeCreated");
      schemeIds[scheme.key] = created!.args.schemeId as bigint;
    }
  }

  return {
    accessManager,
    assetRegister,
    valuationRegistry,
    lossSharing,
    pledgeRegistry,
    pledgeLens,
    licenceRegistry,
    investorRegistry,
    schemeIds,
  };
}
