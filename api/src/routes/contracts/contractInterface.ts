/**
 * Everything an outside client needs to talk to the register without this repository's build: each contract's ABI,
 * the EIP-712 typed data each party signs (domain name and version, types, who signs, which function takes it), the
 * names of the contracts' enum values and the error catalogue. Built from the compiled artifacts (artifacts/), so it
 * is what the chain runs. `GET /v1/contracts` adds one deployment (chain id, addresses, block); `npm run publish:abi`
 * writes the same JSON without them to published/contracts.json, which is committed.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TypedDataField } from "ethers";
import { EIP712_DOMAINS } from "../../../../definitions/domains";
import { pledgeRegisterTypes } from "../../../../definitions/typedData";
import {
  batchAnchoringTypes,
  batchRevocationTypes,
  reportAnchoringTypes,
  reportRevocationTypes,
} from "../../../../definitions/valuationTypedData";
import { firstLicenceGrantTypes, subLicenceGrantTypes } from "../../../../definitions/licenceTypedData";
import { errorCatalogue } from "../../errors/AppError";
import { CONTRACT_ERRORS } from "../../errors/contractErrorTable";
import { DEPLOYED_CONTRACTS } from "../../chain/abis";

/** The repository's compiled artifacts. */
export const ARTIFACTS_DIR = resolve(__dirname, "../../../../artifacts");

/** Contracts deployed once per special plan (their addresses are in the pool's own answers). */
export const PER_POOL_CONTRACTS = ["ReceivablePool", "TrancheToken"] as const;

type DeployedKey = keyof typeof DEPLOYED_CONTRACTS;

/** What each party signs: one entry per EIP-712 primary type. */
const TYPED_DATA: {
  primaryType: string;
  contract: DeployedKey;
  types: Record<string, TypedDataField[]>;
  signedBy: string;
  usedBy: string;
}[] = [
  {
    primaryType: "PledgeApplication",
    contract: "pledgeRegistry",
    types: pledgeRegisterTypes.PledgeApplication,
    signedBy: "every pledgor (all co-owners) and the pledgee, each with its own address as signer",
    usedBy: "submitApplication",
  },
  {
    primaryType: "PledgeChange",
    contract: "pledgeRegistry",
    types: pledgeRegisterTypes.PledgeChange,
    signedBy: "every pledgor, the pledgee and a new pledgee if the loan is assigned",
    usedBy: "change",
  },
  {
    primaryType: "PledgeWithdrawal",
    contract: "pledgeRegistry",
    types: pledgeRegisterTypes.PledgeWithdrawal,
    signedBy: "a party of the pending application",
    usedBy: "withdraw",
  },
  {
    primaryType: "PledgeRelease",
    contract: "pledgeRegistry",
    types: pledgeRegisterTypes.PledgeRelease,
    signedBy: "the pledgee",
    usedBy: "release",
  },
  {
    primaryType: "PledgeDefault",
    contract: "pledgeRegistry",
    types: pledgeRegisterTypes.PledgeDefault,
    signedBy: "the pledgee",
    usedBy: "declareDefault",
  },
  {
    primaryType: "PledgeDisposal",
    contract: "pledgeRegistry",
    types: pledgeRegisterTypes.PledgeDisposal,
    signedBy: "the pledgee",
    usedBy: "recordDisposal",
  },
  {
    primaryType: "ReportAnchoring",
    contract: "valuationRegistry",
    types: reportAnchoringTypes,
    signedBy: "the licensed evaluator of the report",
    usedBy: "anchorSigned",
  },
  {
    primaryType: "BatchAnchoring",
    contract: "valuationRegistry",
    types: batchAnchoringTypes,
    signedBy: "the licensed evaluator of every report in the batch",
    usedBy: "anchorBatchSigned",
  },
  {
    primaryType: "ReportRevocation",
    contract: "valuationRegistry",
    types: reportRevocationTypes,
    signedBy: "the report's evaluator",
    usedBy: "revoke",
  },
  {
    primaryType: "BatchRevocation",
    contract: "valuationRegistry",
    types: batchRevocationTypes,
    signedBy: "the batch's evaluator",
    usedBy: "revokeBatch",
  },
  {
    primaryType: "FirstLicenceGrant",
    contract: "licenceRegistry",
    types: firstLicenceGrantTypes,
    signedBy: "every holder of every licensed asset",
    usedBy: "recordFirstLicence",
  },
  {
    primaryType: "SubLicenceGrant",
    contract: "licenceRegistry",
    types: subLicenceGrantTypes,
    signedBy: "the licensee",
    usedBy: "recordSubLicence",
  },
];

const DOMAINS: Partial<Record<DeployedKey, { name: string; version: string }>> = EIP712_DOMAINS;

interface Artifact {
  contractName: string;
  sourceName: string;
  abi: Record<string, unknown>[];
}

/** Where a contract's artifact is: ours under contracts/, the ERC-20 interface under OpenZeppelin's. */
const ARTIFACT_FOLDERS: Record<string, string> = { IERC20: "@openzeppelin/contracts/token/ERC20" };

function artifactOf(contractName: string, artifactsDir: string): Artifact {
  const folder = ARTIFACT_FOLDERS[contractName] ?? "contracts";
  const path = join(artifactsDir, folder, `${contractName}.sol`, `${contractName}.json`);
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Artifact;
  } catch (error) {
    throw new Error(`no compiled ${contractName} at ${path}: run \`npm run build\` (${(error as Error).message})`);
  }
}

interface AstNode {
  nodeType?: string;
  name?: string;
  members?: { name: string }[];
  nodes?: AstNode[];
}

/** Each enum of contracts/ by name, its values in order (index = the number on chain), from the compiler's AST. */
function enumsOf(artifactsDir: string, contractNames: readonly string[]): Record<string, string[]> {
  const buildInfos = new Set(
    contractNames.map((name) => {
      const dbg = join(artifactsDir, "contracts", `${name}.sol`, `${name}.dbg.json`);
      return resolve(join(artifactsDir, "contracts", `${name}.sol`), JSON.parse(readFileSync(dbg, "utf8")).buildInfo);
    }),
  );
  const enums: Record<string, string[]> = {};
  const visit = (node: AstNode) => {
    if (node.nodeType === "EnumDefinition" && node.name && node.members) {
      enums[node.name] = node.members.map((m) => m.name);
    }
    for (const child of node.nodes ?? []) visit(child);
  };
  for (const path of buildInfos) {
    const info = JSON.parse(readFileSync(path, "utf8")) as { output: { sources: Record<string, { ast: AstNode }> } };
    for (const [source, { ast }] of Object.entries(info.output.sources)) {
      if (source.startsWith("contracts/") && !source.startsWith("contracts/test/")) visit(ast);
    }
  }
  return Object.fromEntries(Object.entries(enums).sort(([a], [b]) => a.localeCompare(b)));
}

/** The published interface: no chain id, no addresses (those belong to one deployment). */
export function contractInterface(artifactsDir = ARTIFACTS_DIR) {
  const all = [...Object.values(DEPLOYED_CONTRACTS), ...PER_POOL_CONTRACTS];
  const abiOf = (name: string) => artifactOf(name, artifactsDir).abi;
  const statuses = errorCatalogue() as Record<string, number>;
  return {
    description:
      "The IP Pledge Registry's contract interface: ABIs, the EIP-712 typed data each party signs, enum value " +
      "names and the error catalogue. Money is an integer in the currency's smallest unit; dates on chain are Unix " +
      "seconds (a calendar date is 00:00:00 UTC of that day). GET /v1/contracts adds a deployment's chain id, " +
      "addresses and block.",
    contracts: Object.fromEntries(
      Object.entries(DEPLOYED_CONTRACTS).map(([key, name]) => [key, { name, abi: abiOf(name) }]),
    ) as Record<DeployedKey, { name: string; abi: Record<string, unknown>[] }>,
    perPool: Object.fromEntries(PER_POOL_CONTRACTS.map((name) => [name, { name, abi: abiOf(name) }])),
    /** A pool's payment token (a stablecoin): the ERC-20 interface, to approve it and read balances. */
    paymentToken: { name: "IERC20", abi: abiOf("IERC20") },
    eip712: Object.fromEntries(
      TYPED_DATA.map((t) => [
        t.primaryType,
        {
          contract: t.contract,
          domain: DOMAINS[t.contract]!,
          primaryType: t.primaryType,
          types: t.types,
          signedBy: t.signedBy,
          usedBy: t.usedBy,
        },
      ]),
    ),
    enums: enumsOf(artifactsDir, all),
    errors: Object.fromEntries(
      Object.entries(CONTRACT_ERRORS)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([solidity, [code, message]]) => [solidity, { code, status: statuses[code], message }]),
    ),
  };
}

export type ContractInterface = ReturnType<typeof contractInterface>;

export interface DeploymentFacts {
  chainId: number;
  blockNumber: number;
  deployedAt: string;
  contracts: Record<string, string>;
  /** The embedded demo chain's test stablecoin, if this deployment has one. */
  demoStablecoin?: string;
}

/** The interface for one deployment: its chain id and block, each contract's address, each domain in full. */
export function forDeployment(iface: ContractInterface, deployment: DeploymentFacts) {
  const addressOf = (key: string) => deployment.contracts[key];
  return {
    chainId: deployment.chainId,
    deploymentBlock: deployment.blockNumber,
    deployedAt: deployment.deployedAt,
    ...iface,
    // Only on the embedded demo chain: the test CNY stablecoin's address (ERC-20, 2 decimals).
    ...(deployment.demoStablecoin ? { demoStablecoin: deployment.demoStablecoin } : {}),
    contracts: Object.fromEntries(
      Object.entries(iface.contracts).map(([key, c]) => [key, { name: c.name, address: addressOf(key), abi: c.abi }]),
    ),
    eip712: Object.fromEntries(
      Object.entries(iface.eip712).map(([type, t]) => [
        type,
        {
          ...t,
          domain: { ...t.domain, chainId: deployment.chainId, verifyingContract: addressOf(t.contract) },
        },
      ]),
    ),
  };
}
