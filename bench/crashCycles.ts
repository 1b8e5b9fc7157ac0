/**
 * Crash cycles (issue 9): `npm start` under a write workload from several clients is killed with SIGKILL — the whole
 * process group, chain included — at a random moment, started again, and every write it acknowledged (2xx) before
 * the kill must be there: each asset with the same transaction hash, each document with the same bytes.
 *   npm run crash:cycles -- 100       (prints "N acknowledged, N present"; exit code 1 if any is missing)
 * The CI test (test/api/crash.e2e.test.ts) runs a few cycles of the same.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { RunningProcess, freePort } from "../test/api/helpers/processes";
import { START_TIMEOUT, client, patent, printedKeys, startMainJob } from "../test/api/helpers/mainJob";

interface Acknowledged {
  assets: Map<string, string>; // assetId → transaction hash
  documents: Map<string, string>; // document hash → its text
}

export interface CrashReport {
  cycles: number;
  acknowledged: number;
  present: number;
  missing: string[];
}

/** Write until the gateway stops answering; remember what it acknowledged. */
async function writer(base: string, keys: Record<string, string>, seen: Acknowledged, tag: string) {
  const office = client(base, keys["registration-office"]);
  for (let i = 0; ; i++) {
    try {
      if (i % 3 === 2) {
        const text = `crash-cycle document ${tag}.${i} ${randomBytes(8).toString("hex")}`;
        const res = await fetch(`${base}/v1/documents`, {
          method: "POST",
          headers: { authorization: `Bearer ${keys.evaluator}`, "content-type": "text/plain" },
          body: text,
        });
        if (res.status === 201) seen.documents.set(((await res.json()) as { documentHash: string }).documentHash, text);
        continue;
      }
      const answer = await office.post("/assets", patent(`ZL2026CRASH.${tag}.${i}`, Wallet.createRandom().address));
      if (answer.status === 201) seen.assets.set(answer.body.assetId, answer.body.proof.transactionHash);
    } catch {
      return; // killed: connection refused or reset
    }
  }
}

/** How many acknowledged writes are there, and which are not. */
async function verify(base: string, keys: Record<string, string>, seen: Acknowledged) {
  const office = client(base, keys["registration-office"]);
  const missing: string[] = [];
  for (const [assetId, transactionHash] of seen.assets) {
    const read = await office.get(`/assets/${assetId}`);
    if (read.status !== 200 || read.body.history?.[0]?.transactionHash !== transactionHash)
      missing.push(`asset ${assetId} (${read.status})`);
  }
  for (const [documentHash, text] of seen.documents) {
    const res = await fetch(`${base}/v1/documents/${documentHash}`, {
      headers: { authorization: `Bearer ${keys.evaluator}` },
    });
    if (res.status !== 200 || (await res.text()) !== text) missing.push(`document ${documentHash} (${res.status})`);
  }
  return { acknowledged: seen.assets.size + seen.documents.size, missing };
}

export async function crashCycles(
  cycles: number,
  options: { clients?: number; log?: (line: string) => void } = {},
): Promise<CrashReport> {
  const { clients = 4, log = () => undefined } = options;
  const dir = mkdtempSync(join(tmpdir(), "ipr-crash-"));
  const [port, chainPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    CHAIN_PORT: String(chainPort),
    DATA_DIR: join(dir, "data"),
    DEPLOYMENT_FILE: join(dir, "deployment.json"),
    LOG_LEVEL: "silent",
  };
  const seen: Acknowledged = { assets: new Map(), documents: new Map() };
  let job: RunningProcess | undefined;
  const start = async () => {
    job = startMainJob(env);
    await job.waitForOutput(/Press Ctrl-C to stop\./, START_TIMEOUT);
    return printedKeys(job);
  };
  try {
    let keys = await start();
    let missing: string[] = [];
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const writers = Array.from({ length: clients }, (_, c) => writer(base, keys, seen, `${cycle}.${c}`));
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 2500));
      job!.killGroup();
      await job!.exited;
      await Promise.all(writers);
      keys = await start();
      const result = await verify(base, keys, seen);
      missing = result.missing;
      log(`cycle ${cycle}: ${result.acknowledged} acknowledged, ${result.acknowledged - missing.length} present`);
      if (missing.length) break;
    }
    const acknowledged = seen.assets.size + seen.documents.size;
    return { cycles, acknowledged, present: acknowledged - missing.length, missing };
  } finally {
    job?.killGroup();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const cycles = Number(process.argv[2] ?? 10);
  crashCycles(cycles, { log: (line) => process.stdout.write(`${line}\n`) })
    .then((report) => {
      process.stdout.write(`${report.acknowledged} acknowledged, ${report.present} present\n`);
      if (report.missing.length) {
        process.stdout.write(`missing:\n  ${report.missing.join("\n  ")}\n`);
        process.exit(1);
      }
      process.exit(0);
    })
    .catch((error) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(1);
    });
}
