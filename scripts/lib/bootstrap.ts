/**
 * Deployment as the main job and the deploy script do it: deploy and wire the registry, let the gateway's relayer
 * act for the registration office (the office runs the gateway), and describe the result as a deployment file.
 * On the embedded chain, also set up demo organisations with fresh API keys.
 */
import type { Provider, Signer } from "ethers";
import { deployRegistry, type RegistryContracts } from "./deployRegistry";
import { ORGANISATION_ROLES, Roles } from "../../definitions/roles";
import { TestStablecoin__factory } from "../../typechain-types";
import type { Deployment } from "../../definitions/deployment";
import { hashApiKey, newApiKey, type Organisation, type Role } from "../../api/src/organisations";

export async function deployForGateway(
  admin: Signer,
  registrar: string,
  relayer: string,
): Promise<{
  contracts: RegistryContracts;
  deployment: Deployment;
}> {
  const contracts = await deployRegistry({ admin, registrar });
  if (relayer.toLowerCase() !== registrar.toLowerCase()) {
    await (await contracts.accessManager.connect(admin).grantRole(Roles.REGISTRAR, relayer, 0)).wait();
  }
  const provider = admin.provider as Provider;
  const [network, blockNumber, firstReceipt] = await Promise.all([
    provider.getNetwork(),
    provider.getBlockNumber(),
    contracts.accessManager.deploymentTransaction()?.wait(),
  ]);
  const deployment: Deployment = {
    chainId: Number(network.chainId),
    deployedAt: new Date().toISOString(),
    blockNumber,
    ...(firstReceipt ? { firstBlock: firstReceipt.blockNumber } : {}),
    contracts: {
      accessManager: await contracts.accessManager.getAddress(),
      assetRegister: await contracts.assetRegister.getAddress(),
      valuationRegistry: await contracts.valuationRegistry.getAddress(),
      lossSharing: await contracts.lossSharing.getAddress(),
      pledgeRegistry: await contracts.pledgeRegistry.getAddress(),
      pledgeLens: await contracts.pledgeLens.getAddress(),
      licenceRegistry: await contracts.licenceRegistry.getAddress(),
      investorRegistry: await contracts.investorRegistry.getAddress(),
    },
    riskSchemes: Object.fromEntries(Object.entries(contracts.schemeIds).map(([k, v]) => [k, Number(v)])),
  };
  return { contracts, deployment };
}

/**
 * The embedded demo chain's payment token: a test CNY stablecoin (tCNY, 2 decimals) that anyone may mint, for the
 * faucet. Deployed by `npm start` on its own chain only — never on a chain given by RPC_URL.
 */
export async function deployDemoStablecoin(admin: Signer): Promise<string> {
  const coin = await new TestStablecoin__factory(admin).deploy();
  await coin.waitForDeployment();
  return coin.getAddress();
}

export interface DemoOrganisation {
  organisation: Organisation;
  apiKey: string;
  /** Index of its Hardhat development account (whose well-known key signs its typed data in the demo). */
  account: number;
}

const DEMO: { id: string; name: string; role: Role; account: number }[] = [
  { id: "registration-office", name: "IP Registration Office", role: "registrar", account: 1 },
  { id: "bank-a", name: "Bank A (licensed lender)", role: "pledgee", account: 2 },
  { id: "bank-b", name: "Bank B (licensed lender)", role: "pledgee", account: 3 },
  { id: "evaluator", name: "Evaluator Co. (appraisal firm)", role: "evaluator", account: 4 },
  { id: "originator", name: "Originator Leasing Co.", role: "originator", account: 5 },
  { id: "auditor", name: "Auditor LLP", role: "auditor", account: 6 },
];

/** Give the demo organisations their on-chain roles and new API keys (shown once; only hashes are stored). */
export async function setUpDemoOrganisations(
  contracts: RegistryContracts,
  admin: Signer,
  registrar: Signer,
  addressOf: (account: number) => Promise<string>,
): Promise<DemoOrganisation[]> {
  const demo: DemoOrganisation[] = [];
  for (const org of DEMO) {
    const address = await addressOf(org.account);
    // Its on-chain role (definitions/roles.ts); the registrar's was granted at deployment.
    const chainRole = ORGANISATION_ROLES[org.role];
    if (chainRole !== null && chainRole !== "REGISTRAR") {
      // The registrar licenses lenders and evaluators; the admin grants the other roles.
      const granter = chainRole === "PLEDGEE" || chainRole === "EVALUATOR" ? registrar : admin;
      await (await contracts.accessManager.connect(granter).grantRole(Roles[chainRole], address, 0)).wait();
    }
    const apiKey = newApiKey();
    demo.push({
      organisation: { id: org.id, name: org.name, role: org.role, address, keyHash: hashApiKey(apiKey) },
      apiKey,
      account: org.account,
    });
  }
  return demo;
}
