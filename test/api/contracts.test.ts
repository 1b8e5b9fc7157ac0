/**
 * The published contract interface (item 14 of issue 8): GET /v1/contracts gives a deployment's chain id, addresses,
 * block, ABIs and EIP-712 domains and types; published/contracts.json is the same JSON without the deployment, and
 * must equal a fresh generation from the compiled artifacts (`npm run publish:abi` rewrites it).
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { Contract, ZeroHash, hexlify, randomBytes, toUtf8Bytes } from "ethers";
import { ethers } from "hardhat";
import { ENUMS_FILE, PUBLISHED_FILE, enumsText, publishedText } from "../../scripts/publishAbi";
import { openGateway } from "./helpers/gatewayFixture";

const YEAR = 365 * 86_400;

/** The answer without what belongs to one deployment: what published/contracts.json holds. */
function withoutDeployment(answer: Record<string, unknown>) {
  const { chainId: _c, deploymentBlock: _b, deployedAt: _d, demoStablecoin: _s, ...rest } = answer;
  const contracts = rest.contracts as Record<string, { address?: string }>;
  const eip712 = rest.eip712 as Record<string, { domain: Record<string, unknown> }>;
  return {
    ...rest,
    contracts: Object.fromEntries(Object.entries(contracts).map(([k, { address: _a, ...c }]) => [k, c])),
    eip712: Object.fromEntries(
      Object.entries(eip712).map(([k, t]) => {
        const { chainId: _ci, verifyingContract: _v, ...domain } = t.domain;
        return [k, { ...t, domain }];
      }),
    ),
  };
}

describe("gateway — the published contract interface", () => {
  it("published/contracts.json is what `npm run publish:abi` generates from the compiled contracts now", () => {
    const committed = readFileSync(PUBLISHED_FILE, "utf8");
    expect(committed === publishedText(), "published/contracts.json is stale: run `npm run publish:abi`").to.equal(
      true,
    );
  });

  it("definitions/contractEnums.ts is what `npm run publish:abi` generates from the compiled contracts now", async () => {
    const committed = readFileSync(ENUMS_FILE, "utf8");
    expect(
      committed === (await enumsText()),
      "definitions/contractEnums.ts is stale: run `npm run publish:abi`",
    ).to.equal(true);
  });

  it("GET /v1/contracts gives the deployment's chain id, block and addresses, and otherwise the published JSON", async () => {
    const f = await openGateway();
    const res = await f.as("bank-a").get("/contracts");
    expect(res.status).to.equal(200);
    const { chainId } = await ethers.provider.getNetwork();
    expect(res.body.chainId).to.equal(Number(chainId));
    expect(res.body.deploymentBlock).to.equal(f.deployment.blockNumber);
    for (const [key, address] of Object.entries(f.deployment.contracts)) {
      expect(res.body.contracts[key].address, key).to.equal(address);
      expect(await ethers.provider.getCode(address), key).to.not.equal("0x");
    }
    expect(res.body.eip712.PledgeApplication.domain).to.deep.equal({
      name: "IPPledgeRegistry",
      version: "1",
      chainId: Number(chainId),
      verifyingContract: f.deployment.contracts.pledgeRegistry,
    });
    expect(withoutDeployment(res.body)).to.deep.equal(JSON.parse(readFileSync(PUBLISHED_FILE, "utf8")));
    expect(res.body.paymentToken.abi.map((f: { name?: string }) => f.name)).to.include.members([
      "approve",
      "balanceOf",
      "transfer",
    ]);
  });

  it("is enough for an outside client: its ABI reads the register, its typed data signs what the chain accepts", async () => {
    const f = await openGateway();
    const { body } = await f.as("bank-a").get("/contracts");
    const officialNumber = "ZL202110077777.7";
    const recorded = await f.as("registration-office").post("/assets", {
      kind: "InventionPatent",
      officialNumber,
      holders: [{ address: f.parties[0].address, shareBps: 10_000 }],
      grantDate: "2024-01-01",
      expiryDate: "2040-01-01",
      feesPaidUntil: Number(f.now) + YEAR,
    });
    // Reading with nothing but the answer: address + ABI, enum values by their index in `enums`.
    const reader = f.parties[5];
    const assets = new Contract(body.contracts.assetRegister.address, body.contracts.assetRegister.abi, reader);
    const kind = body.enums.AssetKind.indexOf("InventionPatent");
    expect((await assets.assetIdOf(kind, officialNumber)).toLowerCase()).to.equal(recorded.body.assetId);

    // The evaluator signs ReportAnchoring with the published domain and types; anyone sends it straight to the chain.
    const anchoring = body.eip712.ReportAnchoring;
    const evaluator = f.signerOf.evaluator;
    const report = {
      documentHash: hexlify(randomBytes(32)),
      evaluator: evaluator.address,
      assetIds: [recorded.body.assetId],
      value: 2_500_000_000n,
      currency: hexlify(toUtf8Bytes("CNY")),
      method: body.enums.ValuationMethod.indexOf("Income"),
      valuationDate: f.now - 86_400n,
      validUntil: f.now + BigInt(YEAR),
      supersedes: ZeroHash,
      uri: "",
    };
    const consent = { nonce: 7n, deadline: f.now + 3_600n };
    const signature = await evaluator.signTypedData(anchoring.domain, anchoring.types, {
      report,
      signer: evaluator.address,
      ...consent,
    });
    const valuations = new Contract(anchoring.domain.verifyingContract, body.contracts.valuationRegistry.abi, reader);
    expect(anchoring.usedBy).to.equal("anchorSigned");
    await (await valuations.anchorSigned(report, { ...consent, signature })).wait();
    const [record] = await valuations.reportOf(report.documentHash);
    expect(record.evaluator).to.equal(evaluator.address);
    expect(body.enums.ReportStatus[Number(record.status)]).to.equal("Anchored");
  });
});
