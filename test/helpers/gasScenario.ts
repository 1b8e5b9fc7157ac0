/**
 * The scenarios of the gas snapshot (gas-snapshot.txt): every SPEC'd operation measured on a fixed clock, so that the
 * figures are deterministic. Shared by the snapshot test (test/gas/gasSnapshot.test.ts) and the gas benchmark
 * (bench/gas.ts).
 */
import { loadFixture, reset, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import { Wallet, ZeroAddress, id as keccakText } from "ethers";
import { NO_CONSENT } from "../../definitions/typedData";
import { cny } from "../../definitions/riskSchemes";
import { buildReportBatch } from "../../definitions/valuationTypedData";
import {
  AssetKind,
  DisposalMethod,
  YEAR,
  deployRegistryFixture,
  docHash,
  type RegistryFixture,
} from "./registryFixture";
import { consentsFor, restartNonces, signChange, signDefault, signRelease, termsFor } from "./pledging";
import { deployValuationFixture, fileHash, signReportAnchoring } from "./valuationFixture";
import { calendar, deployLicensingFixture } from "./poolFixture";

/** "1 holder", "1,000 holders". */
export const holderCount = (n: number) => `${n.toLocaleString("en-US")} holder${n === 1 ? "" : "s"}`;

/** 2030-01-01T00:00:00Z: a fixed clock, so dates in calldata (and their zero bytes) never vary. */
export const T0 = 1_893_456_000n;

const poolFixtures = new Map<number, () => ReturnType<typeof buildPoolFixture>>();
/** The pool fixture for `holders` holders of the crowd pool (one fixture function per size, for loadFixture). */
function poolFixedClockFixture(holders: number) {
  if (!poolFixtures.has(holders))
    poolFixtures.set(holders, async function poolFixedClock() {
      return buildPoolFixture(holders);
    });
  return poolFixtures.get(holders)!;
}

/**
 * Two identical two-tranche pools on the fixed clock, one whose senior tranche has 1 holder and one whose senior
 * tranche has `holders` (the same face spread by transfers), each with the first period already distributed.
 */
async function buildPoolFixture(HOLDERS: number) {
  await loadFixture(fixedClockFixture);
  const f = await deployLicensingFixture();
  const periodEnds = calendar(f.now + DAY_, 4);
  const schedule = periodEnds.map((end) => ({ dueDate: end - 15n * DAY_, amount: cny(1_250_000) }));
  const makePool = async (licensee: number) =>
    f.createPool({
      receivables: [await f.recordSubLicence(f.signers.licensees[licensee], schedule)],
      periodEnds,
      feePerPeriod: cny(25_000),
      reserveTarget: cny(200_000),
      tranches: [
        { name: "Senior A", symbol: "A", face: cny(3_800_000), couponBps: 350 },
        { name: "Subordinated", symbol: "B", face: cny(200_000), couponBps: 0 },
      ],
    });
  const single = await makePool(0);
  const crowd = await makePool(1);
  const [investor] = f.signers.investors;
  const subscribeGas: Measured[] = [];
  for (const { pool } of [single, crowd]) {
    await f.stablecoin.connect(investor).approve(await pool.getAddress(), cny(3_800_000));
    subscribeGas.push(await gasOf(pool.connect(investor).subscribe(0, cny(3_800_000))));
    await f.subscribe(pool, f.signers.originator, 1, cny(200_000));
  }
  const closeGas = await gasOf(single.pool.connect(f.signers.originator).close());
  await crowd.pool.connect(f.signers.originator).close();
  // Spread the crowd pool's senior tranche over `HOLDERS` identified holders.
  const share = cny(3_800_000) / BigInt(HOLDERS);
  const holders = Array.from({ length: HOLDERS }, (_, i) => new Wallet(keccakText(`holder ${i}`)).address);
  // The investor keeps one share and passes one to each of the others.
  for (const holder of holders.slice(1)) {
    await f.investorRegistry.connect(f.signers.registrar).identify(holder, keccakText(holder));
    await crowd.tranches[0].connect(investor).transfer(holder, share);
  }
  const transferGas = await gasOf(crowd.tranches[0].connect(investor).transfer(holders[1] ?? single.pool, share / 2n));
  return { ...f, single, crowd, schedule, periodEnds, subscribeGas, closeGas, transferGas };
}

const DAY_ = 86_400n;

/** The gas of one or more transactions, with their hashes (bench/ reads their calldata and storage writes). */
export interface Measured {
  gas: bigint;
  hashes: string[];
}

/**
 * One measured operation: its gas and the transactions it took; `divisor` when the row is a share of them (gas per
 * report of a batch), `call` when it is a view measured with eth_estimateGas (no transaction).
 */
export interface OperationRow extends Measured {
  name: string;
  divisor?: bigint;
  call?: { to: string; data: string };
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<Measured> {
  const receipt = await (await tx).wait();
  return { gas: receipt!.gasUsed, hashes: [receipt!.hash] };
}

/** A row for the sum of `parts` (e.g. submit + register). */
function row(name: string, ...parts: Measured[]): OperationRow {
  return {
    name,
    gas: parts.reduce((sum, p) => sum + p.gas, 0n),
    hashes: parts.flatMap((p) => p.hashes),
  };
}

/** The valuation registry on the fixed clock, with reports dated relative to T0. */
async function valuationFixedClockFixture() {
  await loadFixture(fixedClockFixture);
  const f = await deployValuationFixture();
  const reportOn = (label: string) =>
    f.reportFor({ documentHash: fileHash(label), valuationDate: T0 - 86_400n, validUntil: T0 + YEAR });
  return { ...f, reportOn };
}

export async function fixedClockFixture() {
  await time.increaseTo(T0);
  return deployRegistryFixture();
}

/**
 * A registry in steady state: it has registered pledges before, and every signer has signed before (its nonce
 * word is in use) — as for any bank after its first day. The measured pledge is then the bank's second.
 */
async function steadyStateFixture() {
  const f = await loadFixture(fixedClockFixture);
  restartNonces(1n);
  const earlier = fixedTerms(f, {
    assetIds: [f.assets.coOwnedPatent],
    pledgors: [f.signers.alice.address, f.signers.bob.address],
  });
  await f.pledgeRegistry.submitApplication(...(await consentsFor(f, earlier, [f.signers.alice, f.signers.bob])));
  await f.pledgeRegistry.connect(f.signers.registrar).register(1n);
  await f.pledgeRegistry.release(1n, await signRelease(f.pledgeRegistry, f.signers.bank, 1n));
  await warmNonces(f);
  return f;
}

/** Fixed-date terms for alice's solo patent, or another asset/pledgor. */
export function fixedTerms(f: RegistryFixture, overrides: Parameters<typeof termsFor>[1] = {}) {
  const terms = termsFor(f, overrides);
  return { ...terms, debt: { ...terms.debt, startDate: T0, maturityDate: T0 + YEAR } };
}

/** Spend one nonce of each signer so that their nonce words are in use, as for any signer after its first pledge. */
export async function warmNonces(f: RegistryFixture) {
  for (const s of [f.signers.alice, f.signers.bob, f.signers.bank, f.signers.secondBank, f.signers.carol]) {
    if (!(await f.pledgeRegistry.isNonceUsed(s.address, 0n))) await f.pledgeRegistry.connect(s).cancelNonce(0n);
  }
}

export interface ScenarioSizes {
  /** Holders of the crowd pool's senior tranche (the snapshot: 1,000). */
  holders: number;
}

/**
 * Measures every operation of the gas snapshot (gas-snapshot.txt), on a fresh chain with a fixed clock. Shared by
 * the snapshot test and the benchmark (bench/gas.ts), so that both measure the same scenarios. `onMeasured` sees
 * each group of rows while their transactions are still on the chain (the benchmark traces them).
 */
export async function measureOperations(
  { holders }: ScenarioSizes = { holders: 1000 },
  onMeasured: (rows: OperationRow[]) => Promise<void> = async () => {},
): Promise<OperationRow[]> {
  const rows: OperationRow[] = [];
  let settled = 0;
  /** Hands the rows measured since the last call to `onMeasured` before the next loadFixture reverts their blocks. */
  const settle = async () => {
    await onMeasured(rows.slice(settled));
    settled = rows.length;
  };
  // Other test files may have moved the clock past T0: start from a fresh chain (this also drops their fixtures'
  // snapshots, which they rebuild on their next loadFixture).
  await reset();
  const record = async (f: RegistryFixture, number: string, holders: { holder: string; shareBps: number }[]) =>
    gasOf(
      f.assetRegister
        .connect(f.signers.registrar)
        .recordAsset(
          AssetKind.InventionPatent,
          number,
          holders,
          T0 - YEAR,
          T0 + 15n * YEAR,
          T0 + YEAR,
          docHash(number),
        ),
    );

  // Asset register.
  {
    const f = await loadFixture(fixedClockFixture);
    rows.push(
      row(
        "asset: record, 1 holder",
        await record(f, "ZL202610000001.1", [{ holder: f.signers.alice.address, shareBps: 10_000 }]),
      ),
    );
    rows.push(
      row(
        "asset: record, 2 co-owners",
        await record(f, "ZL202610000002.2", [
          { holder: f.signers.alice.address, shareBps: 5_000 },
          { holder: f.signers.bob.address, shareBps: 5_000 },
        ]),
      ),
    );
    rows.push(
      row(
        "asset: record annual fees",
        await gasOf(
          f.assetRegister
            .connect(f.signers.registrar)
            .recordAnnualFees(f.assets.soloPatent, T0 + 2n * YEAR, docHash("fee")),
        ),
      ),
    );
  }

  // Application and registration, first-ever signatures (nonce words untouched).
  {
    await settle();
    const f = await loadFixture(fixedClockFixture);
    restartNonces(1n);
    const args = await consentsFor(f, fixedTerms(f), [f.signers.alice]);
    rows.push(
      row(
        "pledge: submit, 1 asset (first signatures of both signers)",
        await gasOf(f.pledgeRegistry.connect(f.signers.relayer).submitApplication(...args)),
      ),
    );
  }

  // Steady state: the registry, the bank and the signers have all been through a pledge before.
  await settle();
  const f = await loadFixture(steadyStateFixture);
  restartNonces(100n);
  const submit = await gasOf(
    f.pledgeRegistry
      .connect(f.signers.relayer)
      .submitApplication(...(await consentsFor(f, fixedTerms(f), [f.signers.alice]))),
  );
  const register = await gasOf(f.pledgeRegistry.connect(f.signers.registrar).register(2n));
  rows.push(row("pledge: submit, 1 asset (steady state)", submit));
  rows.push(row("pledge: register, 1 asset", register));
  rows.push(row("pledge: submit + register, 1 asset (steady state)", submit, register));

  const coOwned = fixedTerms(f, {
    assetIds: [f.assets.coOwnedPatent],
    pledgors: [f.signers.alice.address, f.signers.bob.address],
  });
  rows.push(
    row(
      "pledge: submit, 1 co-owned asset, 2 pledgors (steady state)",
      await gasOf(
        f.pledgeRegistry
          .connect(f.signers.relayer)
          .submitApplication(...(await consentsFor(f, coOwned, [f.signers.alice, f.signers.bob]))),
      ),
    ),
  );

  await f.pledgeRegistry.connect(f.signers.registrar).setInstantRegistration(true);
  const trademark = fixedTerms(f, {
    assetIds: [f.assets.trademark],
    pledgors: [f.signers.carol.address],
    pledgee: f.signers.secondBank.address,
  });
  rows.push(
    row(
      "pledge: instant registration (submit + register in one tx, steady state)",
      await gasOf(
        f.pledgeRegistry
          .connect(f.signers.relayer)
          .submitApplication(...(await consentsFor(f, trademark, [f.signers.carol], f.signers.secondBank))),
      ),
    ),
  );

  const change = {
    pledgeId: 2n,
    principal: cny(12_000_000),
    maturityDate: T0 + 2n * YEAR,
    pledgee: f.signers.bank.address,
  };
  rows.push(
    row(
      "pledge: change amount and maturity (steady state)",
      await gasOf(
        f.pledgeRegistry.connect(f.signers.relayer).change(2n, change, {
          pledgors: [await signChange(f.pledgeRegistry, f.signers.alice, change)],
          pledgee: await signChange(f.pledgeRegistry, f.signers.bank, change),
          newPledgee: NO_CONSENT,
        }),
      ),
    ),
  );
  rows.push(
    row(
      "pledge: release, relayed with the pledgee's signature (steady state)",
      await gasOf(
        f.pledgeRegistry
          .connect(f.signers.relayer)
          .release(2n, await signRelease(f.pledgeRegistry, f.signers.bank, 2n)),
      ),
    ),
  );
  rows.push(
    row(
      "pledge: release, sent by the pledgee",
      await gasOf(f.pledgeRegistry.connect(f.signers.secondBank).release(4n, NO_CONSENT)),
    ),
  );

  // Enforcement and disposal, with and without loss sharing.
  {
    await settle();
    const g = await loadFixture(fixedClockFixture);
    restartNonces(200n);
    await warmNonces(g);
    await g.pledgeRegistry.connect(g.signers.registrar).setInstantRegistration(true);
    await g.pledgeRegistry.submitApplication(
      ...(await consentsFor(g, fixedTerms(g, { riskScheme: g.schemeIds["zhongshan"] }), [g.signers.alice])),
    );
    await g.pledgeRegistry.submitApplication(
      ...(await consentsFor(g, fixedTerms(g, { assetIds: [g.assets.trademark], pledgors: [g.signers.carol.address] }), [
        g.signers.carol,
      ])),
    );
    await time.setNextBlockTimestamp(T0 + YEAR + 1n);
    rows.push(
      row(
        "pledge: declare default (enforce), relayed (steady state)",
        await gasOf(
          g.pledgeRegistry.declareDefault(
            1n,
            docHash("default"),
            await signDefault(g.pledgeRegistry, g.signers.bank, 1n, docHash("default")),
          ),
        ),
      ),
    );
    await g.pledgeRegistry.connect(g.signers.bank).declareDefault(2n, docHash("default"), NO_CONSENT);
    const dispose = (pledgeId: bigint, method: number, transferee: string, evidence: string) =>
      gasOf(
        g.pledgeRegistry
          .connect(g.signers.bank)
          .recordDisposal(
            pledgeId,
            { method, proceeds: cny(6_000_000), transferee, evidenceHash: docHash(evidence) },
            NO_CONSENT,
          ),
      );
    rows.push(
      row(
        "pledge: dispose, loss shared by Zhongshan (3 parties + bank)",
        await dispose(1n, DisposalMethod.Transfer, g.signers.outsider.address, "auction"),
      ),
    );
    rows.push(
      row("pledge: dispose, no risk scheme", await dispose(2n, DisposalMethod.ReverseLicence, ZeroAddress, "licence")),
    );
  }

  // Valuation reports: single, relayed, and a batch of 1,000 under one root.
  {
    await settle();
    const v = await loadFixture(valuationFixedClockFixture);
    restartNonces(300n);
    const evaluator = v.valuationRegistry.connect(v.signers.evaluator);
    rows.push(
      row(
        "valuation: anchor a report, 1 asset, sent by the evaluator",
        await gasOf(evaluator.anchor(v.reportOn("single"))),
      ),
    );
    const relayed = v.reportOn("relayed");
    const consent = await signReportAnchoring(v.valuationRegistry, v.signers.evaluator, relayed, undefined, 301n);
    rows.push(
      row(
        "valuation: anchor a report, 1 asset, relayed with the evaluator's signature",
        await gasOf(v.valuationRegistry.connect(v.signers.relayer).anchorSigned(relayed, consent)),
      ),
    );
    const reports = Array.from({ length: 1000 }, (_, i) => v.reportOn(`batched report ${i}`));
    const batch = buildReportBatch(reports);
    const batchGas = await gasOf(evaluator.anchorBatch(batch.root, reports.length));
    rows.push(row("valuation: anchor a batch root of 1,000 reports", batchGas));
    rows.push({
      ...row("valuation: batch of 1,000 reports, root gas per report", batchGas),
      gas: batchGas.gas / 1000n,
      divisor: 1000n,
    });
    const sample = reports[617];
    const proof = batch.proofOf(sample.documentHash);
    rows.push({
      name: "valuation: verify a report in a batch of 1,000 (eth_estimateGas, view)",
      gas: await v.valuationRegistry.verifyInBatch.estimateGas(batch.root, sample, proof),
      hashes: [],
      call: {
        to: await v.valuationRegistry.getAddress(),
        data: v.valuationRegistry.interface.encodeFunctionData("verifyInBatch", [batch.root, sample, proof]),
      },
    });
    rows.push(
      row(
        "valuation: materialise a report from a batch of 1,000",
        await gasOf(
          v.valuationRegistry
            .connect(v.signers.relayer)
            .materialise(batch.root, sample, batch.proofOf(sample.documentHash)),
        ),
      ),
    );
    rows.push(
      row(
        "valuation: revoke, sent by the evaluator",
        await gasOf(evaluator.revoke(sample.documentHash, "superseded by court valuation", NO_CONSENT)),
      ),
    );
  }

  // Licence-fee pools: issuance, collection, distribution (O(1) in holders), claims.
  {
    await settle();
    const p = await loadFixture(poolFixedClockFixture(holders));
    rows.push(row("pool: subscribe a tranche", p.subscribeGas[0]));
    rows.push(row("pool: close (fund reserve, pay proceeds)", p.closeGas));
    rows.push(row("tranche token: transfer between identified holders", p.transferGas));
    const distributeGas: Measured[] = [];
    const pools = [p.single.pool, p.crowd.pool];
    const claimGas: Measured[] = [];
    for (let k = 0; k < 3; k++) {
      await time.increaseTo(p.schedule[k].dueDate);
      for (const [i, pool] of pools.entries()) {
        const licensee = p.signers.licensees[i];
        const [licenceId] = await pool.receivables();
        await p.stablecoin.connect(licensee).approve(await pool.getAddress(), p.schedule[k].amount);
        const payGas = await gasOf(pool.connect(licensee).payInstalment(licenceId, k, p.schedule[k].amount));
        if (i === 0 && k === 1) rows.push(row("pool: record an instalment payment", payGas));
      }
      await time.increaseTo(p.periodEnds[k]);
      for (const [i, pool] of pools.entries()) {
        const gas = await gasOf(pool.distribute());
        if (k === 1) distributeGas.push(gas);
        else if (k === 0 && i === 0)
          rows.push(row("pool: distribute the first period, two tranches (first writes)", gas));
      }
      if (k >= 1) claimGas.push(await gasOf(p.single.pool.connect(p.signers.investors[0]).claim(0)));
    }
    rows.push(row("pool: distribute a period, two tranches, 1 holder", distributeGas[0]));
    rows.push(row(`pool: distribute a period, two tranches, ${holderCount(holders)}`, distributeGas[1]));
    rows.push(row("pool: claim (the holder's and the pool's first claim)", claimGas[0]));
    rows.push(row("pool: claim (steady state)", claimGas[1]));
  }

  await settle();
  return rows;
}
