/**
 * The gas benchmark (`npm run bench:gas`, entry point bench/gas.ts): in one Hardhat run, every operation of the gas
 * snapshot against its physical floor, reference rows from OpenZeppelin tokens and the Ethereum Attestation Service
 * (EAS), and the growth rows (our operations with many pledges registered, a distribution with many holders).
 * test/bench/gasBench.test.ts runs it at tiny sizes inside `npm test`, so it cannot rot.
 */
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, ZeroAddress, ZeroHash, getBytes, id as keccakText, type TransactionReceipt } from "ethers";
import { NO_CONSENT } from "../definitions/typedData";
import { cny } from "../definitions/riskSchemes";
import { CNY } from "../test/helpers/registryFixture";
import { consentsFor, restartNonces } from "../test/helpers/pledging";
import {
  T0,
  fixedClockFixture,
  fixedTerms,
  holderCount,
  measureOperations,
  type OperationRow,
} from "../test/helpers/gasScenario";

/** Gas every transaction pays before it runs (EIP-2028 calldata prices below). */
const TX_BASE = 21_000n;
/** Writing a storage slot that was zero (EIP-2929 cold SSTORE from zero: 20,000 + 2,100 cold access). */
const NEW_SLOT = 22_100n;

export interface BenchSizes {
  /** Pledges registered before measuring submit + register and collateralStatusOf (the bench: 10, 1,000, 10,000). */
  pledges: number[];
  /** Holders of the crowd pool in the distribution rows (the bench: 1,000; the pool with 1 holder is always there). */
  holders: number;
  /** Hashes timestamped in one EAS `multiTimestamp`. */
  timestampBatch: number;
}

export const FULL_SIZES: BenchSizes = { pledges: [10, 1_000, 10_000], holders: 1_000, timestampBatch: 100 };

export interface BenchRow {
  name: string;
  gas: bigint;
  /** The physical floor: 21,000 + calldata + 22,100 per new storage slot (per unit when the row is a share). */
  floor: bigint;
  /** "0.23 × EAS attest" for our rows that have a comparable reference operation. */
  versus?: { reference: string; gas: bigint };
}

/** Calldata gas (EIP-2028): 16 per non-zero byte, 4 per zero byte. */
export function calldataGas(data: string): bigint {
  return getBytes(data).reduce((gas, byte) => gas + (byte === 0 ? 4n : 16n), 0n);
}

/**
 * Storage slots a transaction wrote that were zero before its block and are non-zero after it (one transaction per
 * block: the bench runs with automine). Read from the transaction's opcode trace: every SSTORE, in the storage of
 * the contract executing it (a DELEGATECALL writes its caller's storage).
 */
async function newSlotsOf(receipt: TransactionReceipt): Promise<number> {
  const trace: { structLogs: { op: string; depth: number; stack?: string[] }[] } = await network.provider.send(
    "debug_traceTransaction",
    [receipt.hash, { disableMemory: true, disableStorage: true }],
  );
  const logs = trace.structLogs;
  const frames = [receipt.to!.toLowerCase()];
  const written = new Set<string>();
  for (let i = 0; i < logs.length; i++) {
    const { op, depth, stack = [] } = logs[i];
    const top = (k: number) => stack[stack.length - 1 - k];
    if (op === "SSTORE") written.add(`${frames[frames.length - 1]}:${BigInt("0x" + top(0).replace(/^0x/, ""))}`);
    const next = logs[i + 1];
    if (next === undefined) break;
    if (next.depth > depth) {
      const callee =
        "0x" +
        BigInt("0x" + top(1).replace(/^0x/, ""))
          .toString(16)
          .padStart(40, "0");
      frames.push(op === "CALL" || op === "STATICCALL" ? callee : frames[frames.length - 1]);
    } else for (let d = depth; d > next.depth; d--) frames.pop();
  }
  let fresh = 0;
  for (const entry of written) {
    const [address, slot] = entry.split(":");
    const before = await ethers.provider.getStorage(address, BigInt(slot), receipt.blockNumber - 1);
    const after = await ethers.provider.getStorage(address, BigInt(slot), receipt.blockNumber);
    if (BigInt(before) === 0n && BigInt(after) !== 0n) fresh++;
  }
  return fresh;
}

/** The physical floor of the transactions `hashes` (or of a view's calldata), divided by `divisor`. */
async function floorOf(row: Pick<OperationRow, "hashes" | "divisor" | "call">): Promise<bigint> {
  let floor = row.call ? TX_BASE + calldataGas(row.call.data) : 0n;
  for (const hash of row.hashes) {
    const tx = (await ethers.provider.getTransaction(hash))!;
    const receipt = (await ethers.provider.getTransactionReceipt(hash))!;
    floor += TX_BASE + calldataGas(tx.data) + NEW_SLOT * BigInt(await newSlotsOf(receipt));
  }
  return floor / (row.divisor ?? 1n);
}

async function measured(name: string, hashes: string[], divisor = 1n): Promise<OperationRow> {
  let gas = 0n;
  for (const hash of hashes) gas += (await ethers.provider.getTransactionReceipt(hash))!.gasUsed;
  return { name, gas: gas / divisor, hashes, divisor };
}

const sent = async (tx: Promise<{ wait: () => Promise<TransactionReceipt | null> }>) => (await (await tx).wait())!.hash;

/** The valuation report's fields as an EAS schema, and one report (one asset, like our single anchor). */
const REPORT_SCHEMA =
  "bytes32 documentHash,address evaluator,bytes32[] assetIds,uint256 value,bytes3 currency,uint8 method," +
  "uint40 valuationDate,uint40 validUntil,bytes32 supersedes,string uri";

/** OpenZeppelin ERC-20 and ERC-721 and EAS, deployed and measured on the current chain. */
async function referenceRows(timestampBatch: number): Promise<OperationRow[]> {
  const [, holder, evaluator] = await ethers.getSigners();
  const rows: OperationRow[] = [];

  const token = await (await ethers.getContractFactory("ReferenceERC20")).deploy(cny(1_000_000));
  await sent(token.transfer(holder.address, cny(1)));
  rows.push(
    await measured("ERC-20 (OpenZeppelin): transfer to an existing holder", [
      await sent(token.transfer(holder.address, cny(1))),
    ]),
  );
  const newcomer = new ethers.Wallet(keccakText("bench newcomer")).address;
  rows.push(
    await measured("ERC-20 (OpenZeppelin): transfer to a new holder", [await sent(token.transfer(newcomer, cny(1)))]),
  );

  const nft = await (await ethers.getContractFactory("ReferenceERC721")).deploy();
  await sent(nft.mint(holder.address, 1n));
  rows.push(await measured("ERC-721 (OpenZeppelin): mint", [await sent(nft.mint(holder.address, 2n))]));

  const schemas = await (await ethers.getContractFactory("SchemaRegistry")).deploy();
  const eas = (await (await ethers.getContractFactory("EAS")).deploy(await schemas.getAddress())).connect(evaluator);
  await sent(schemas.register(REPORT_SCHEMA, ZeroAddress, true));
  // EAS names a schema by keccak256(abi.encodePacked(schema, resolver, revocable)).
  const schema = {
    uid: ethers.solidityPackedKeccak256(["string", "address", "bool"], [REPORT_SCHEMA, ZeroAddress, true]),
  };
  const attest = (label: string) => {
    const data = AbiCoder.defaultAbiCoder().encode(
      REPORT_SCHEMA.split(",").map((f) => f.split(" ")[0]),
      [
        keccakText(label),
        evaluator.address,
        [keccakText("asset")],
        cny(25_000_000),
        CNY,
        0,
        T0 - 86_400n,
        T0 + 365n * 86_400n,
        ZeroHash,
        "",
      ],
    );
    const request = { recipient: ZeroAddress, expirationTime: 0n, revocable: true, refUID: ZeroHash, data, value: 0n };
    return eas.attest({ schema: schema.uid, data: request });
  };
  await sent(attest("warm-up report"));
  const attestHash = await sent(attest("measured report"));
  rows.push(await measured("EAS: attest a valuation report (schema of our report, 1 asset)", [attestHash]));
  const receipt = (await ethers.provider.getTransactionReceipt(attestHash))!;
  const uid = eas.interface.parseLog(receipt.logs.find((l) => l.address === (eas.target as string))!)!.args.uid;
  rows.push(await measured("EAS: revoke", [await sent(eas.revoke({ schema: schema.uid, data: { uid, value: 0n } }))]));
  rows.push(await measured("EAS: timestamp a hash", [await sent(eas.timestamp(keccakText("timestamped")))]));
  const hashes = Array.from({ length: timestampBatch }, (_, i) => keccakText(`timestamped ${i}`));
  rows.push(
    await measured(
      `EAS: multiTimestamp of ${timestampBatch.toLocaleString("en-US")} hashes, gas per hash`,
      [await sent(eas.multiTimestamp(hashes))],
      BigInt(timestampBatch),
    ),
  );
  return rows;
}

/**
 * Submit + register (two transactions) and collateralStatusOf (eth_estimateGas of the view) with `sizes` pledges
 * registered before. The registry is filled with real transactions: instant registration of alice's patent to the
 * bank, then its release by the bank, so that the measured pledge's parties are party to every earlier pledge.
 */
async function growthRows(sizes: number[]): Promise<OperationRow[]> {
  const f = await loadFixture(fixedClockFixture);
  const registry = f.pledgeRegistry;
  const { alice, bank, registrar, relayer } = f.signers;
  // Measurements sign with nonces of one word that both signers have already used, whatever the size.
  const MEASURE_NONCES = 256n * 40_000n;
  for (const s of [alice, bank]) await registry.connect(s).cancelNonce(MEASURE_NONCES + 255n);
  // Many pledges per block (a block takes transactions while their gas limits fit in the block's).
  const { gasLimit } = (await ethers.provider.getBlock("latest"))!;
  const perBlock = Number(gasLimit / (FILL_SUBMIT_GAS + FILL_RELEASE_GAS));
  let fillNonce = 1n;
  let nextId = 1n;
  let filled = 0;
  const rows: OperationRow[] = [];
  for (const [m, size] of sizes.entries()) {
    await registry.connect(registrar).setInstantRegistration(true);
    await network.provider.send("evm_setAutomine", [false]);
    while (filled < size) {
      restartNonces(fillNonce);
      fillNonce += 2n;
      const args = await consentsFor(f, fixedTerms(f), [alice]);
      await registry.connect(bank).submitApplication(...args, { gasLimit: FILL_SUBMIT_GAS });
      await registry.connect(bank).release(nextId++, NO_CONSENT, { gasLimit: FILL_RELEASE_GAS });
      if (++filled % perBlock === 0) await network.provider.send("evm_mine", []);
      if (filled % 1_000 === 0) process.stderr.write(`bench: ${filled.toLocaleString("en-US")} pledges registered\n`);
    }
    await network.provider.send("evm_mine", []);
    await network.provider.send("evm_setAutomine", [true]);
    await registry.connect(registrar).setInstantRegistration(false);
    // Every filled pledge was registered and released: the ids ran up to the one before the measured pledge.
    if ((await registry.lastPledgeId()) !== nextId - 1n) throw new Error("growth: fill failed");

    restartNonces(MEASURE_NONCES + 2n * BigInt(m));
    const args = await consentsFor(f, fixedTerms(f), [alice]);
    const submit = await sent(registry.connect(relayer).submitApplication(...args));
    const register = await sent(registry.connect(registrar).register(nextId));
    const pledges = `${size.toLocaleString("en-US")} pledges registered`;
    rows.push(await measured(`growth: pledge submit + register, ${pledges}`, [submit, register]));
    rows.push({
      name: `growth: collateralStatusOf (eth_estimateGas, view), ${pledges}`,
      gas: await registry.collateralStatusOf.estimateGas(f.assets.soloPatent),
      hashes: [],
      call: {
        to: await registry.getAddress(),
        data: registry.interface.encodeFunctionData("collateralStatusOf", [f.assets.soloPatent]),
      },
    });
    await sent(registry.connect(bank).release(nextId++, NO_CONSENT));
    filled++;
  }
  return rows;
}

/** Gas limits of the filling transactions (instant registration ~430k, release ~40k). */
const FILL_SUBMIT_GAS = 600_000n;
const FILL_RELEASE_GAS = 100_000n;

/** Our operations compared with a reference operation (ours ÷ theirs in the table). */
const COMPARISONS: [ours: string, reference: string][] = [
  ["valuation: anchor a report, 1 asset, sent by the evaluator", "EAS: attest a valuation report"],
  ["valuation: batch of 1,000 reports, root gas per report", "EAS: multiTimestamp"],
  ["valuation: revoke, sent by the evaluator", "EAS: revoke"],
];

/** Runs the whole benchmark on the Hardhat network (it resets the chain). */
export async function runBench(sizes: BenchSizes): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Floors are read from the transactions' traces while they are on the chain (a later loadFixture reverts them).
  const withFloors = async (measured: OperationRow[]) => {
    for (const row of measured) rows.push({ name: row.name, gas: row.gas, floor: await floorOf(row) });
  };
  const operations = await measureOperations({ holders: sizes.holders }, withFloors);
  await withFloors(await referenceRows(sizes.timestampBatch));
  await withFloors(await growthRows(sizes.pledges));
  for (const [ours, reference] of COMPARISONS) {
    const theirs = rows.find((r) => r.name.startsWith(reference))!;
    rows.find((r) => r.name === ours)!.versus = {
      reference: theirs.name.split(" (")[0].split(",")[0],
      gas: theirs.gas,
    };
  }
  const distribute = operations.filter((r) => r.name.startsWith("pool: distribute a period"));
  for (const r of distribute) rows.push({ ...rows.find((b) => b.name === r.name)!, name: `growth: ${r.name}` });
  return rows;
}

/** Two decimals, or two significant digits below 0.1 (55 gas per report vs 24.6k per hash is 0.0022). */
const ratio = (a: bigint, b: bigint) => {
  const r = Number(a) / Number(b);
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
};
const thousands = (n: bigint) => n.toLocaleString("en-US");

/** The Markdown table: gas, floor, gas ÷ floor, and ours ÷ theirs where a reference operation compares. */
export function renderTable(rows: BenchRow[], date: string): string {
  const lines = [
    `Gas benchmark, ${date} (Hardhat network, solc 0.8.28 / EAS 0.8.29, optimizer 200 runs). Regenerate: npm run bench:gas`,
    "",
    "| Operation | Gas | Floor | Gas ÷ floor | Ours ÷ theirs |",
    "| --- | ---: | ---: | ---: | --- |",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${thousands(r.gas)} | ${thousands(r.floor)} | ${ratio(r.gas, r.floor)} | ` +
        (r.versus ? `${ratio(r.gas, r.versus.gas)} × ${r.versus.reference} (${thousands(r.versus.gas)})` : "") +
        " |",
    ),
    "",
    "Floor: 21,000 per transaction + calldata (16 gas per non-zero byte, 4 per zero byte) + 22,100 per storage slot",
    "written that was zero before; for views, 21,000 + calldata. Growth rows: the same operation with more pledges",
    "registered (or more holders) must cost the same.",
    "",
  ];
  return lines.join("\n");
}

export { holderCount };
