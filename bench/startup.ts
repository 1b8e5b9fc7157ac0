/**
 * Time to ready of `npm start` as history grows (issue 9), the new start and the baseline side by side, in one run:
 *   npm run bench:startup                      (0, 1,000 and 10,000 pledges of history)
 *   BENCH_PLEDGES=100,1000 npm run bench:startup
 * The table is printed and written to bench/results/<YYYY-MM-DD>-startup-anvil.md.
 * - new: `npm start` as it is — anvil booted from the newest checkpoint, then the journal's tail replayed;
 * - baseline: `npm start -- --checkpoint-every 0` on the same data folder — the whole journal replayed (what every
 *   start did before checkpoints).
 * A first `npm start` deploys and sets up the demo. History is added through a running `npm start`'s chain port, so
 * it is journaled (and checkpointed every 1,000 writes) as the gateway's writes are: per pledge, the bank and the
 * patentee sign the application here, the relayer submits it (instant registration), then the bank signs its release
 * and the relayer sends it — two raw transactions per pledge, signed locally. Then the whole process group is killed
 * (kill -9), so the new start has a tail to replay after its newest checkpoint. Each start is timed from its launch to
 * "Press Ctrl-C".
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type HDNodeWallet, Interface, encodeBytes32String, keccak256, toUtf8Bytes } from "ethers";
import { readSetup } from "../scripts/lib/keptSetup";
import { AnvilProvider } from "../scripts/lib/anvilChain";
import { pledgeApplicationTypes, pledgeReleaseTypes } from "../definitions/typedData";
import { domainOf } from "../definitions/domains";
import { IPAssetRegister__factory, PledgeRegistry__factory, ValuationRegistry__factory } from "../typechain-types";
import { interrupt, startMainJob } from "../test/api/helpers/mainJob";
import { freePort } from "../test/api/helpers/processes";
import { devWallet as dev, rawSender } from "./rawTransactions";

const YEAR = 365 * 86_400;
const FAR = 2n ** 40n;
const READY = /Press Ctrl-C to stop\./;

async function envFor(dataDir: string) {
  return {
    PORT: String(await freePort()),
    CHAIN_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DEPLOYMENT_FILE: join(dataDir, "bench-deployment.json"),
    LOG_LEVEL: "warn",
  };
}

interface Ready {
  seconds: number;
  blocks: number;
  entries: number;
  /** Entries the loaded checkpoint covered (0: none loaded) and the seconds its load took. */
  checkpoint: number;
  load: number;
  /** Entries replayed, and the seconds it took. */
  replayed: number;
  replay: number;
  /** Seconds after the start of `scripts/start.ts` at which the chain was ready. */
  chain: number;
}

/** Seconds from `npm start` (with `args`) to ready on `dataDir`, and what it says it resumed; then Ctrl-C. */
async function timeToReady(dataDir: string, args: string[] = []): Promise<Ready> {
  const started = performance.now();
  const job = startMainJob(await envFor(dataDir), args);
  try {
    await job.waitForOutput(READY, 30 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    const m = job.stdout.match(
      /(\d+) blocks, (\d+) journaled writes; (?:checkpoint of the first (\d+) loaded in ([\d.]+) s, then )?(\d+) replayed in ([\d.]+) s/,
    );
    const chain = Number(/; ready ([\d.]+) s after npm start/.exec(job.stdout)?.[1] ?? NaN);
    await interrupt(job, 120_000);
    return {
      seconds,
      blocks: Number(m?.[1] ?? 0),
      entries: Number(m?.[2] ?? 0),
      checkpoint: Number(m?.[3] ?? 0),
      load: Number(m?.[4] ?? 0),
      replayed: Number(m?.[5] ?? 0),
      replay: Number(m?.[6] ?? 0),
      chain,
    };
  } finally {
    job.killGroup();
  }
}

/** JSON-RPC to a chain port. */
const rpcTo = (url: string) => {
  const provider = new AnvilProvider(url); // plain JSON-RPC over HTTP: here, to the journaled chain in front of anvil
  return (method: string, params: unknown[]) => provider.request({ method, params });
};

/** Add `count` pledges (registered, then released) through a running `npm start` on `dataDir`, then kill -9 it. */
async function fill(dataDir: string, count: number) {
  const env = await envFor(dataDir);
  const job = startMainJob(env);
  try {
    await job.waitForOutput(READY, 30 * 60_000);
    return await fillChain(dataDir, rpcTo(`http://127.0.0.1:${env.CHAIN_PORT}`), count);
  } finally {
    job.killGroup();
    await job.exited;
  }
}

async function fillChain(dataDir: string, rpc: (method: string, params: unknown[]) => Promise<unknown>, count: number) {
  const { deployment } = readSetup(join(dataDir, "embedded"));
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
  return (performance.now() - started) / 1000;
}

async function main() {
  const sizes = (process.env.BENCH_PLEDGES ?? "1000,10000").split(",").map(Number);
  const root = mkdtempSync(join(tmpdir(), "ipr-bench-startup-"));
  const load = [loadavg()[0]];
  const both = async (data: string) => {
    const baseline = await timeToReady(data, ["--checkpoint-every", "0"]);
    const fresh = await timeToReady(data);
    load.push(loadavg()[0]);
    return { baseline, fresh };
  };
  try {
    const base = join(root, "base");
    process.stderr.write("first start (deploy and demo set-up)…\n");
    await timeToReady(base);
    const rows = [{ pledges: 0, ...(await both(base)), fill: 0 }];
    let previous = base;
    let filled = 0;
    for (const size of sizes) {
      const data = join(root, `p${size}`);
      cpSync(previous, data, { recursive: true });
      process.stderr.write(`filling ${size - filled} more pledges…\n`);
      const fillSeconds = await fill(data, size - filled);
      filled = size;
      previous = data;
      rows.push({ pledges: size, ...(await both(data)), fill: fillSeconds });
    }
    const s = (n: number) => n.toFixed(1);
    const lines = [
      "| pledges of history | blocks | journaled writes | new: time to ready (s) | new: chain ready (s) " +
        "| new: checkpoint loaded (writes, s) | new: tail replayed (writes, s) | baseline: time to ready (s) " +
        "| baseline: chain ready (s) | baseline: whole journal replayed (s) | fill (s) |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rows.map(
        ({ pledges, fresh, baseline, fill }) =>
          `| ${pledges.toLocaleString("en")} | ${fresh.blocks.toLocaleString("en")} | ` +
          `${fresh.entries.toLocaleString("en")} | ${s(fresh.seconds)} | ${s(fresh.chain)} | ` +
          `${fresh.checkpoint.toLocaleString("en")}, ${s(fresh.load)} | ${fresh.replayed.toLocaleString("en")}, ` +
          `${s(fresh.replay)} | ${s(baseline.seconds)} | ${s(baseline.chain)} | ${s(baseline.replay)} | ` +
          `${fill.toFixed(0)} |`,
      ),
    ];
    const date = new Date().toISOString().slice(0, 10);
    const table = [
      `# npm start on anvil: time to ready as history grows, checkpoint + tail against the whole journal (${date})`,
      "",
      `${cpus().length} CPUs (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, shared with other jobs: ` +
        `1-minute load average ${load.map((l) => l.toFixed(1)).join(" → ")} over the run. Each pledge of history is two`,
      "journaled transactions (submitted with instant registration, then released). The history was added through a",
      "running `npm start`, killed with kill -9 at the end (so a tail is left after the newest checkpoint).",
      'Time to ready: from the launch of `npm start` to "Press Ctrl-C"; chain ready: when the embedded chain said it',
      "listened, in seconds after `scripts/start.ts` started (the rest is loading TypeScript and the gateway, whose read",
      "model opens and catches up before it listens); the other columns are what the start reports.",
      "New: `npm start` (newest checkpoint, then the journal's tail); baseline: `npm start -- --checkpoint-every 0`",
      "(the whole journal replayed into a fresh anvil), on the same data folder, in the same run.",
      "",
      ...lines,
      "",
    ].join("\n");
    const results = join(__dirname, "results");
    mkdirSync(results, { recursive: true });
    const file = join(results, `${date}-startup-anvil.md`);
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
