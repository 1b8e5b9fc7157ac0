/**
 * Time to ready of `npm start` as history grows (issue 9): the embedded chain replays its whole journal on start.
 *   npm run bench:startup                      (0, 1,000 and 10,000 pledges of history)
 *   BENCH_PLEDGES=100,1000 npm run bench:startup
 * The table is printed and written to bench/results/<YYYY-MM-DD>-startup.md.
 * A first `npm start` deploys and sets up the demo; its journal is then filled in process, through the same journaling
 * provider the chain serves from (each write appended and fsync'ed): per pledge, the bank and the patentee sign the
 * application here, the relayer submits it (instant registration), then the bank signs its release and the relayer
 * sends it — two raw transactions per pledge, signed locally. Each size is timed from `npm start` to "Press Ctrl-C".
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { type HDNodeWallet, Interface, encodeBytes32String, keccak256, toUtf8Bytes } from "ethers";
import { ChainJournal, JOURNAL_FILE } from "../scripts/lib/chainJournal";
import { JournaledProvider, createChain, followWallClock, replayJournal } from "../scripts/lib/journaledChain";
import { readSetup } from "../scripts/lib/keptSetup";
import { pledgeApplicationTypes, pledgeReleaseTypes } from "../definitions/typedData";
import { domainOf } from "../definitions/domains";
import { IPAssetRegister__factory, PledgeRegistry__factory, ValuationRegistry__factory } from "../typechain-types";
import { interrupt, startMainJob } from "../test/api/helpers/mainJob";
import { freePort } from "../test/api/helpers/processes";
import { devWallet as dev, rawSender } from "./rawTransactions";

const YEAR = 365 * 86_400;
const FAR = 2n ** 40n;

/** Seconds from `npm start` to ready on `dataDir`, and the blocks it resumed. */
async function timeToReady(dataDir: string) {
  const env = {
    PORT: String(await freePort()),
    CHAIN_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DEPLOYMENT_FILE: join(dataDir, "bench-deployment.json"),
    LOG_LEVEL: "warn",
  };
  const started = performance.now();
  const job = startMainJob(env);
  try {
    await job.waitForOutput(/Press Ctrl-C to stop\./, 30 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    const resumed = job.stdout.match(/(\d+) blocks, (\d+) journaled writes, replayed in ([\d.]+) s/);
    await interrupt(job, 60_000);
    return { seconds, blocks: Number(resumed?.[1] ?? 0), replay: Number(resumed?.[3] ?? 0) };
  } finally {
    job.killGroup();
  }
}

/** Add `count` pledges (registered, then released) to the journal in `dataDir`. */
async function fill(dataDir: string, count: number) {
  const dir = join(dataDir, "embedded");
  const journal = ChainJournal.open(join(dir, JOURNAL_FILE));
  const chain = await createChain(hre.config, journal.header.initialDate);
  await chain.request({ method: "hardhat_setLoggingEnabled", params: [false] });
  await replayJournal(chain, journal.header.genesisHash, journal.entries);
  await followWallClock(chain, journal.entries.at(-1)?.offset ?? 0);
  const provider = new JournaledProvider(chain, journal);
  const { deployment } = readSetup(dir);
  const rpc = (method: string, params: unknown[]) => provider.request({ method, params });
  const send = rawSender(rpc, deployment.chainId);

  const [relayer, bank, evaluator, patentee] = [dev(0), dev(2), dev(4), dev(7)];
  const { assetRegister, valuationRegistry, pledgeRegistry } = deployment.contracts;
  const assets = new Interface(IPAssetRegister__factory.abi);
  const valuations = new Interface(ValuationRegistry__factory.abi);
  const pledges = new Interface(PledgeRegistry__factory.abi);
  const now = Math.floor(Date.now() / 1000);
  const officialNumber = `ZL2026BENCH.${now}`;
  await send(
    relayer,
    assetRegister,
    assets.encodeFunctionData("recordAsset", [
      0,
      officialNumber,
      [{ holder: patentee.address, shareBps: 10_000 }],
      now - 2 * YEAR,
      now + 15 * YEAR,
      now + YEAR,
      keccak256(toUtf8Bytes(officialNumber)),
    ]),
  );
  const assetId = assets.decodeFunctionResult(
    "assetIdOf",
    (await rpc("eth_call", [
      { to: assetRegister, data: assets.encodeFunctionData("assetIdOf", [0, officialNumber]) },
      "latest",
    ])) as string,
  )[0] as string;
  const reportId = keccak256(toUtf8Bytes(`report ${officialNumber}`));
  await send(
    evaluator,
    valuationRegistry,
    valuations.encodeFunctionData("anchor", [
      [
        reportId,
        evaluator.address,
        [assetId],
        10n ** 12n,
        "0x434e59",
        0,
        now - 86_400,
        now + YEAR,
        `0x${"00".repeat(32)}`,
        "",
      ],
    ]),
  );
  await send(relayer, pledgeRegistry, pledges.encodeFunctionData("setInstantRegistration", [true]));

  const domain = domainOf("pledgeRegistry", BigInt(deployment.chainId), pledgeRegistry);
  const terms = {
    assetIds: [assetId],
    pledgors: [patentee.address],
    pledgee: bank.address,
    debt: {
      debtor: encodeBytes32String("91440101MA5CXYZ12K"),
      principal: 10n ** 9n,
      currency: "0x434e59",
      startDate: now,
      maturityDate: now + YEAR,
    },
    contractHash: reportId,
    valuationReportId: reportId,
    riskScheme: 0,
    forfeitureClause: false,
    invalidationAcknowledged: false,
  };
  const consent = async (
    signer: HDNodeWallet,
    types: typeof pledgeApplicationTypes,
    message: object,
    nonce: bigint,
  ) => ({
    nonce,
    deadline: FAR,
    signature: await signer.signTypedData(domain, types, { ...message, signer: signer.address, nonce, deadline: FAR }),
  });
  let nonce = BigInt(now) * 1_000_000n;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const pledgor = await consent(patentee, pledgeApplicationTypes, { terms }, nonce++);
    const pledgee = await consent(bank, pledgeApplicationTypes, { terms }, nonce++);
    await send(relayer, pledgeRegistry, pledges.encodeFunctionData("submitApplication", [terms, [pledgor], pledgee]));
    const pledgeId = pledges.decodeFunctionResult(
      "lastPledgeId",
      (await rpc("eth_call", [
        { to: pledgeRegistry, data: pledges.encodeFunctionData("lastPledgeId") },
        "latest",
      ])) as string,
    )[0] as bigint;
    const release = await consent(bank, pledgeReleaseTypes, { pledgeId }, nonce++);
    await send(relayer, pledgeRegistry, pledges.encodeFunctionData("release", [pledgeId, release]));
    if ((i + 1) % 1000 === 0) process.stderr.write(`  filled ${i + 1} pledges\n`);
  }
  journal.close();
  return (performance.now() - started) / 1000;
}

async function main() {
  const sizes = (process.env.BENCH_PLEDGES ?? "1000,10000").split(",").map(Number);
  const root = mkdtempSync(join(tmpdir(), "ipr-bench-startup-"));
  try {
    const base = join(root, "base");
    process.stderr.write("first start (deploy and demo set-up)…\n");
    await timeToReady(base);
    const rows = [{ pledges: 0, ...(await timeToReady(base)), fill: 0 }];
    let filled = 0;
    for (const size of sizes) {
      const data = join(root, `p${size}`);
      cpSync(rows.length === 1 ? base : join(root, `p${sizes[sizes.indexOf(size) - 1]}`), data, { recursive: true });
      process.stderr.write(`filling ${size - filled} more pledges…\n`);
      const fillSeconds = await fill(data, size - filled);
      filled = size;
      rows.push({ pledges: size, ...(await timeToReady(data)), fill: fillSeconds });
    }
    const lines = [
      "| pledges of history | blocks | time to ready (s) | of which replay (s) | fill (s) |",
      "|---:|---:|---:|---:|---:|",
      ...rows.map(
        (r) =>
          `| ${r.pledges.toLocaleString("en")} | ${r.blocks.toLocaleString("en")} | ${r.seconds.toFixed(1)} | ` +
          `${r.replay.toFixed(1)} | ${r.fill.toFixed(0)} |`,
      ),
    ];
    const date = new Date().toISOString().slice(0, 10);
    const table = [
      `# npm start: time to ready as history grows (${date})`,
      "",
      `${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}. Each pledge of history is two`,
      "journaled transactions (submitted with instant registration, then released). Time to ready: from `npm start`",
      'to "Press Ctrl-C"; replay: the embedded chain\'s own measure of its journal replay.',
      "",
      ...lines,
      "",
    ].join("\n");
    const results = join(__dirname, "results");
    mkdirSync(results, { recursive: true });
    const file = join(results, `${date}-startup.md`);
    writeFileSync(file, table);
    process.stdout.write(`${table}\nWritten to ${file}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
