/**
 * A receivable pool beside the gateway (SPEC §6), set up on chain by the parties themselves with their own wallets —
 * the chain state the pool routes read: a patent recorded through the API, the patentee's first licence to the
 * originator, one sub-licence of four quarterly instalments, a test CNY stablecoin (2 decimals), identified
 * investors, and a pool with a senior and a subordinated tranche.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { HDNodeWallet, Wallet, type Signer } from "ethers";
import { deployPool, type PoolConfig } from "../../../scripts/lib/deployPool";
import type { FirstLicenceTerms, SubLicenceTerms } from "../../../definitions/licenceTypedData";
import type { ReceivablePool, TestStablecoin } from "../../../typechain-types";
import { QUARTER, calendar, signFirstLicence, signSubLicence } from "../../helpers/poolFixture";
import { indexFor } from "./sharedIndex";
import { openGateway, type GatewayFixture } from "./gatewayFixture";
import { YEAR, docHash, recordPatent } from "./pledgeParties";

export const DAY = 86_400n;
export const SENIOR_FACE = 90_000_000n; // 900,000.00 CNY in fen
export const SUBORDINATED_FACE = 10_000_000n;
export const COUPON_BPS = 500;
export const FEE_PER_PERIOD = 100_000n;
export const RESERVE_TARGET = 5_000_000n;
export const GUARANTEE_CAP = 10_000_000n;
export const INSTALMENT = 30_000_000n;

/** The people of a pool: accounts without an organisation, plus the originator and the registrar's wallets. */
export function poolPeople(f: GatewayFixture) {
  const [patentee, licensee, investor, secondInvestor, guarantor, feeRecipient, outsider] = f.parties;
  return {
    patentee,
    licensee,
    investor,
    secondInvestor,
    guarantor,
    feeRecipient,
    outsider,
    originator: f.signerOf.originator,
    registrar: f.signerOf["registration-office"],
  };
}

export type PoolPeople = ReturnType<typeof poolPeople>;

/** A test CNY stablecoin, with 10 m CNY for every payer. */
export async function stablecoinFor(payers: Signer[]): Promise<TestStablecoin> {
  const coin = await (await ethers.getContractFactory("TestStablecoin")).deploy();
  for (const payer of payers) await coin.mint(await payer.getAddress(), 1_000_000_000n);
  return coin;
}

/** Investors must be identified before they hold tranche tokens: the registration office does it on chain. */
export async function identifyInvestors(f: GatewayFixture, people: PoolPeople, investors: Signer[]) {
  for (const investor of investors) {
    await f.contracts.investorRegistry
      .connect(people.registrar)
      .identify(await investor.getAddress(), docHash(`kyc ${await investor.getAddress()}`));
  }
}

/** The patent, the first licence and one sub-licence with four quarterly instalments, recorded on chain. */
export async function licencesOnChain(f: GatewayFixture, people: PoolPeople) {
  const l = f.contracts.licenceRegistry;
  const assetId = await recordPatent(f, "ZL202210055555.5", [people.patentee]);
  const first: FirstLicenceTerms = {
    assetIds: [assetId],
    licensors: [people.patentee.address],
    licensee: people.originator.address,
    exclusive: true,
    subLicensable: true,
    upfrontFee: 1_800_000_000n,
    startDate: f.now,
    endDate: f.now + 5n * BigInt(YEAR),
    contractHash: docHash("exclusive licence with sub-licence right"),
  };
  await l.connect(people.originator).recordFirstLicence(first, [await signFirstLicence(l, people.patentee, first)]);
  const firstLicenceId = await l.lastLicenceId();
  const sub: SubLicenceTerms = {
    firstLicenceId,
    licensee: people.licensee.address,
    schedule: calendar(f.now, 4).map((end) => ({ dueDate: end - 10n * DAY, amount: INSTALMENT })),
    startDate: f.now,
    endDate: f.now + 2n * BigInt(YEAR),
    contractHash: docHash("sub-licence to the operating company"),
  };
  await l.connect(people.originator).recordSubLicence(sub, await signSubLicence(l, people.licensee, sub));
  return { assetId, firstLicenceId, subLicenceId: await l.lastLicenceId(), first, sub };
}

export function poolConfig(f: GatewayFixture, people: PoolPeople, paymentToken: string, receivables: bigint[]) {
  const config: PoolConfig = {
    paymentToken,
    originator: people.originator.address,
    feeRecipient: people.feeRecipient.address,
    guarantor: people.guarantor.address,
    guaranteeCap: GUARANTEE_CAP,
    feePerPeriod: FEE_PER_PERIOD,
    reserveTarget: RESERVE_TARGET,
    subscriptionDeadline: f.now + 30n * DAY,
    startDate: f.now,
    periodEnds: calendar(f.now, 4, QUARTER),
    receivables,
    tranches: [
      { name: "Licence Fees 2027 Senior A1", symbol: "LF27A1", face: SENIOR_FACE, couponBps: COUPON_BPS },
      { name: "Licence Fees 2027 Subordinated", symbol: "LF27S", face: SUBORDINATED_FACE, couponBps: 0 },
    ],
  };
  return config;
}

/**
 * A gateway over a closed pool whose first instalment was paid on time (unless told otherwise): the originator deployed the pool on chain,
 * the investor took the senior tranche, the originator kept the subordinated one, and closed.
 */
export async function openPoolGateway(overrides: Partial<PoolConfig> = {}, payFirstInstalment = true) {
  return poolOn(await openGateway(), overrides, payFirstInstalment);
}

/** The same pool on a gateway already open (e.g. the benchmark's, after its own set-up). */
export async function poolOn(f: GatewayFixture, overrides: Partial<PoolConfig> = {}, payFirstInstalment = true) {
  const people = poolPeople(f);
  const coin = await stablecoinFor([people.licensee, people.investor, people.originator, people.guarantor]);
  await identifyInvestors(f, people, [people.investor, people.originator]);
  const licences = await licencesOnChain(f, people);
  const config = { ...poolConfig(f, people, await coin.getAddress(), [licences.subLicenceId]), ...overrides };
  const { pool } = await deployPool(people.originator, config, f.contracts);
  const subscribe = async (investor: Signer, tranche: number, amount: bigint) => {
    await coin.connect(investor).approve(await pool.getAddress(), amount);
    await pool.connect(investor).subscribe(tranche, amount);
  };
  await subscribe(people.investor, 0, SENIOR_FACE);
  await subscribe(people.originator, 1, SUBORDINATED_FACE);
  await pool.connect(people.originator).close();
  if (payFirstInstalment) {
    await coin.connect(people.licensee).approve(await pool.getAddress(), INSTALMENT);
    await pool.connect(people.licensee).payInstalment(licences.subLicenceId, 0, INSTALMENT);
  }
  // Every step above was a party's own transaction: the read model has them once its follower has polled.
  await (await indexFor(f.deployment)).model.follower.syncOnce();
  return { ...f, people, coin, licences, config, pool, poolAddress: await pool.getAddress() };
}

/**
 * The body of POST /pools/prepare-deployment for a second, small pool over the same sub-licence: one period ending
 * 2030-04-01, two tranches of 100, no fee, reserve or guarantee.
 */
export const smallPoolDeployment = async (
  f: Awaited<ReturnType<typeof openPoolGateway>>,
  startDate = "2030-01-01",
) => ({
  paymentToken: await f.coin.getAddress(),
  feeRecipient: f.people.feeRecipient.address,
  guarantor: f.people.guarantor.address,
  guaranteeCap: "0",
  feePerPeriod: "0",
  reserveTarget: "0",
  subscriptionDeadline: "2030-01-31T00:00:00Z",
  startDate,
  periodEnds: ["2030-04-01T00:00:00Z"],
  receivables: [f.licences.subLicenceId.toString()],
  tranches: [
    { name: "Senior", symbol: "S", face: "100", couponBps: 500 },
    { name: "Junior", symbol: "J", face: "100", couponBps: 0 },
  ],
});

/** Move the clock past the end of period `k` of the pool. */
export async function afterPeriod(pool: ReceivablePool, k: number) {
  const end = (await pool.periodEnds())[k];
  await time.increaseTo(end + 1n);
}

/** Senior interest of a period, Actual/365 Fixed on whole days, rounded down (SPEC §6 conventions). */
export const seniorInterest = (outstanding: bigint, start: bigint, end: bigint) =>
  (outstanding * BigInt(COUPON_BPS) * ((end - start) / DAY)) / (10_000n * 365n);

export const expectStatus = (res: { status: number; body: unknown }, status: number) =>
  expect(res.status, JSON.stringify(res.body)).to.equal(status);

/** Hardhat's development accounts come from this well-known mnemonic: a party's own wallet, as it would hold it. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export async function walletOf(signer: Signer): Promise<Wallet> {
  const address = await signer.getAddress();
  const index = (await ethers.getSigners()).findIndex((s) => s.address === address);
  const node = HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  expect(node.address).to.equal(address);
  return new Wallet(node.privateKey, ethers.provider);
}

interface PreparedStep {
  action: string;
  transaction: Record<string, unknown> & { to: string | null };
}

/**
 * The party signs each prepared transaction with its own wallet and posts it to /v1/transactions (as `org`);
 * returns the broadcast answers.
 */
export async function signAndBroadcast(
  f: GatewayFixture,
  signer: Signer,
  steps: PreparedStep[],
  org: Parameters<GatewayFixture["as"]>[0] = "auditor",
) {
  const wallet = await walletOf(signer);
  const results = [];
  for (const step of steps) {
    const signedTransaction = await wallet.signTransaction(step.transaction);
    const res = await f.as(org).post("/transactions", { signedTransaction });
    expectStatus(res, 201);
    results.push(res.body);
  }
  return results;
}

/** Prepare `path` for `from` (as `org`), then sign and broadcast every step with the party's own wallet. */
export async function prepareAndSend(
  f: GatewayFixture,
  org: Parameters<GatewayFixture["as"]>[0],
  path: string,
  signer: Signer,
  body: object,
) {
  const prepared = await f.as(org).post(path, { from: await signer.getAddress(), ...body });
  expectStatus(prepared, 200);
  return signAndBroadcast(f, signer, prepared.body.steps, org);
}
