/**
 * Crash cycles (issue 9): `npm start` under a write workload from several clients is killed with SIGKILL — the whole
 * process group, chain included — at a random moment, started again, and every write it acknowledged (2xx) before
 * the kill must be there: each asset with the same transaction hash, each document with the same bytes, each
 * anchored report with its anchoring, each submitted pledge application with its pledge. Nothing half-written may be
 * visible: the workload is made of multi-step writes (a report file stored, then anchored; a pledge application
 * drafted, signed, then submitted), and after each restart a step the kill cut is either completed (the register
 * took it and the gateway says so) or reported with a clear state (`stored`, not anchored; a draft not submitted,
 * which submits once) — never lost, never half there, never done twice.
 *   npm run crash:cycles -- 100       (prints "N acknowledged, N present"; exit code 1 if any is missing)
 * The CI test (test/api/crash.e2e.test.ts) runs a few cycles of the same.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Wallet, sha256, toUtf8Bytes } from "ethers";
import { signTypedDataRequest, type TypedDataRequest } from "../scripts/lib/partySigning";
import { RunningProcess, freePort } from "../test/api/helpers/processes";
import { devWallet } from "./rawTransactions";
import { START_TIMEOUT, client, patent, printedKeys, startMainJob } from "../test/api/helpers/mainJob";
import { SUBMISSION_LEASE_MS } from "../api/src/routes/pledges/service";

/** The demo organisations' keys are Hardhat's development accounts: bank-a is account 2, the evaluator 4. */
const [BANK_KEY, EVALUATOR_KEY] = [devWallet(2).privateKey, devWallet(4).privateKey];
const YEAR = 365 * 86_400;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** One client's multi-step write, carried over kills: each step starts from the last one acknowledged. */
interface Flow {
  holder: { address: string; privateKey: string };
  assetId?: string;
  document?: { hash: string; text: string };
  /** The anchoring was sent; its answer (and so whether the register took it) may be lost. */
  anchorSent?: boolean;
  anchored?: string; // its transaction hash, once acknowledged (or found anchored after a restart)
  draftId?: string;
  signed?: boolean;
  submitSent?: boolean;
}

interface Acknowledged {
  assets: Map<string, string>; // assetId → transaction hash
  documents: Map<string, string>; // document hash → its text
  anchors: Map<string, string>; // document hash → the anchoring's transaction hash
  pledges: Map<string, string>; // draftId → pledgeId
  /** Documents whose upload was sent, acknowledged or not: each must be whole or absent. */
  uploads: Map<string, string>;
  flows: Flow[];
}

export interface CrashReport {
  cycles: number;
  acknowledged: number;
  present: number;
  missing: string[];
  /** Per kind, what was acknowledged over all cycles (assets, documents, anchors, pledges). */
  kinds: Record<string, number>;
}

type Client = ReturnType<typeof client>;
const acknowledgedCount = (seen: Acknowledged) =>
  seen.assets.size + seen.documents.size + seen.anchors.size + seen.pledges.size;

/** The next step of a flow, as a client would take it; throws when the gateway stops answering. */
async function step(base: string, keys: Record<string, string>, flow: Flow, seen: Acknowledged, tag: string) {
  const [office, evaluator, bank] = [keys["registration-office"], keys.evaluator, keys["bank-a"]].map((k) =>
    client(base, k),
  );
  const now = Math.floor(Date.now() / 1000);
  if (!flow.assetId) {
    const answer = await office.post("/assets", patent(`ZL2026CRASH.${tag}`, flow.holder.address));
    if (answer.status === 201) {
      seen.assets.set(answer.body.assetId, answer.body.proof.transactionHash);
      flow.assetId = answer.body.assetId;
    }
    return;
  }
  if (!flow.document || !seen.documents.has(flow.document.hash)) {
    const text = flow.document?.text ?? `valuation of ${flow.assetId}, ${tag}: ${randomBytes(8).toString("hex")}`;
    flow.document = { hash: sha256(toUtf8Bytes(text)), text };
    seen.uploads.set(flow.document.hash, text);
    const res = await fetch(`${base}/v1/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${keys.evaluator}`, "content-type": "text/plain" },
      body: text,
    });
    if (res.status === 201) seen.documents.set(((await res.json()) as { documentHash: string }).documentHash, text);
    return;
  }
  if (!flow.anchored) {
    if (flow.anchorSent) {
      // Its answer was lost: the register took it, or the document is stored only and is anchored again.
      const state = await bank.get(`/documents/${flow.document.hash}/anchoring`);
      flow.anchorSent = false;
      if (state.body.state === "anchored") return void (flow.anchored = state.body.proof.transactionHash);
    }
    const td = await evaluator.post("/valuations/typed-data", {
      documentHash: flow.document.hash,
      assetIds: [flow.assetId],
      value: "2500000000",
      currency: "CNY",
      method: "Income",
      valuationDate: iso(now - 86_400),
      validUntil: iso(now + YEAR),
    });
    if (td.status !== 200) return;
    flow.anchorSent = true;
    const anchored = await evaluator.post("/valuations", {
      report: td.body.report,
      signature: await signTypedDataRequest(EVALUATOR_KEY, td.body.typedData as TypedDataRequest),
      nonce: td.body.typedData.message.nonce,
      deadline: td.body.typedData.message.deadline,
    });
    if (anchored.status === 201) {
      flow.anchored = anchored.body.proof.transactionHash;
      seen.anchors.set(flow.document.hash, flow.anchored!);
    }
    return;
  }
  if (!flow.draftId) {
    const draft = await bank.post("/pledges/applications", {
      assets: [flow.assetId],
      pledgors: [flow.holder.address],
      debtor: "91440101MA5CXYZ12K",
      principal: "1000000000",
      currency: "CNY",
      startDate: iso(now),
      maturityDate: iso(now + YEAR),
      contractHash: flow.document.hash,
      valuationReportId: flow.document.hash,
      forfeitureClause: false,
      invalidationAcknowledged: false,
    });
    if (draft.status === 201) flow.draftId = draft.body.draftId;
    return;
  }
  if (!flow.signed) {
    const draft = await bank.get(`/pledges/applications/${flow.draftId}`);
    for (const signer of draft.body.signers as { address: string; role: string; typedData: TypedDataRequest }[]) {
      const key = signer.role === "pledgee" ? BANK_KEY : flow.holder.privateKey;
      const signature = await signTypedDataRequest(key, signer.typedData);
      const signed = await bank.post(`/pledges/applications/${flow.draftId}/signatures`, {
        signer: signer.address,
        signature,
      });
      if (signed.status !== 200) return;
    }
    flow.signed = true;
    return;
  }
  if (flow.submitSent) {
    const draft = await bank.get(`/pledges/applications/${flow.draftId}`);
    if (draft.body.pledgeId) return finishFlow(seen, flow, draft.body.pledgeId);
  }
  flow.submitSent = true;
  const submitted = await bank.post(`/pledges/applications/${flow.draftId}/submit`, {});
  if (submitted.status === 201) finishFlow(seen, flow, submitted.body.pledgeId);
}

/** The flow's pledge is there: a new flow starts, with a new holder and asset. */
function finishFlow(seen: Acknowledged, flow: Flow, pledgeId: string) {
  seen.pledges.set(flow.draftId!, pledgeId);
  for (const key of Object.keys(flow) as (keyof Flow)[]) delete flow[key];
  flow.holder = Wallet.createRandom();
}

/** Write until the gateway stops answering; remember what it acknowledged. */
async function writer(base: string, keys: Record<string, string>, seen: Acknowledged, flow: Flow, tag: string) {
  for (let i = 0; ; i++) {
    try {
      await step(base, keys, flow, seen, `${tag}.${i}`);
    } catch {
      return; // killed: connection refused or reset
    }
  }
}

/** `check` every item, a few at a time (the gateway answers reads in parallel). */
async function eachAtOnce<T>(items: Iterable<T>, check: (item: T) => Promise<void>, width = 8) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await check(item);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

/**
 * After a restart: how many acknowledged writes are there, and which are not; and every step a kill cut is completed
 * or reported with a clear state (the flows are put right here, before the writers go on).
 */
async function verify(base: string, keys: Record<string, string>, seen: Acknowledged) {
  const [office, bank] = [keys["registration-office"], keys["bank-a"]].map((k) => client(base, k));
  const missing: string[] = [];
  await eachAtOnce(seen.assets, async ([assetId, transactionHash]) => {
    const read = await office.get(`/assets/${assetId}`);
    if (read.status !== 200 || read.body.history?.[0]?.transactionHash !== transactionHash)
      missing.push(`asset ${assetId} (${read.status})`);
  });
  // Every upload sent, acknowledged or not, is whole or absent (an acknowledged one is there); a stored one says
  // whether it is anchored, and an acknowledged anchoring is its proof.
  await eachAtOnce(seen.uploads, async ([documentHash, text]) => {
    const res = await fetch(`${base}/v1/documents/${documentHash}`, {
      headers: { authorization: `Bearer ${keys.evaluator}` },
    });
    const read = { status: res.status, text: await res.text() };
    if (read.status === 404 && !seen.documents.has(documentHash)) return;
    if (read.status !== 200 || read.text !== text) {
      missing.push(
        `document ${documentHash}: ${seen.documents.has(documentHash) ? "" : "half "}there (${read.status})`,
      );
      return;
    }
    const state = await bank.get(`/documents/${documentHash}/anchoring`);
    const anchoredAs = seen.anchors.get(documentHash);
    if (state.status !== 200 || !["anchored", "stored"].includes(state.body.state))
      missing.push(`document ${documentHash}: no clear anchoring state (${state.status} ${state.body.state})`);
    else if (anchoredAs && state.body.proof?.transactionHash !== anchoredAs)
      missing.push(`anchoring of ${documentHash} (${state.body.state})`);
  });
  for (const flow of seen.flows) {
    // (An anchoring cut by the kill is one of the uploads above: anchored, or stored and anchored again by its flow.)
    // A submission cut by the kill: the draft says its pledge, or it is not submitted and submits once now.
    if (flow.draftId && flow.submitSent) {
      const draft = await bank.get(`/pledges/applications/${flow.draftId}`);
      if (draft.status !== 200) missing.push(`draft ${flow.draftId} (${draft.status})`);
      else if (draft.body.pledgeId) finishFlow(seen, flow, draft.body.pledgeId);
      else {
        // A submission the kill cut holds its claim on the draft until the claim's lease lapses (409 "being
        // submitted", SUBMISSION_LEASE_MS): then it submits, once.
        let submitted = await bank.post(`/pledges/applications/${flow.draftId}/submit`, {});
        const until = Date.now() + SUBMISSION_LEASE_MS + 5_000;
        while (submitted.status === 409 && !submitted.body.error?.details?.pledgeId && Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          submitted = await bank.post(`/pledges/applications/${flow.draftId}/submit`, {});
        }
        if (submitted.status === 409 && submitted.body.error?.details?.pledgeId) {
          finishFlow(seen, flow, submitted.body.error.details.pledgeId);
          continue;
        }
        if (submitted.status === 201) finishFlow(seen, flow, submitted.body.pledgeId);
        else
          missing.push(`draft ${flow.draftId}: neither submitted nor submittable (${JSON.stringify(submitted.body)})`);
      }
    }
  }
  await eachAtOnce(seen.pledges, async ([draftId, pledgeId]) => {
    const [draft, pledge] = await Promise.all([
      bank.get(`/pledges/applications/${draftId}`),
      bank.get(`/pledges/${pledgeId}`),
    ]);
    if (draft.body.pledgeId !== pledgeId || pledge.status !== 200)
      missing.push(`pledge ${pledgeId} of draft ${draftId} (${draft.status}, ${pledge.status})`);
  });
  return { acknowledged: acknowledgedCount(seen), missing };
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
  const seen: Acknowledged = {
    assets: new Map(),
    documents: new Map(),
    anchors: new Map(),
    pledges: new Map(),
    uploads: new Map(),
    flows: Array.from({ length: clients }, () => ({ holder: Wallet.createRandom() })),
  };
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
      const before = acknowledgedCount(seen);
      const writers = seen.flows.map((flow, c) => writer(base, keys, seen, flow, `${cycle}.${c}`));
      // The random moment falls while writes are flowing: after this cycle's first acknowledgement (a fixed delay
      // from ready could pass before any write was answered on a loaded machine, and the cycle would test nothing).
      const firstBy = Date.now() + START_TIMEOUT;
      while (acknowledgedCount(seen) === before && Date.now() < firstBy) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2500));
      job!.killGroup();
      await job!.exited;
      await Promise.all(writers);
      const restarted = Date.now();
      keys = await start();
      const verifying = Date.now();
      const result = await verify(base, keys, seen);
      missing = result.missing;
      const seconds = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
      log(
        `cycle ${cycle}: ${result.acknowledged} acknowledged, ${result.acknowledged - missing.length} present ` +
          `(restart ${seconds(restarted, verifying)} s, verify ${seconds(verifying, Date.now())} s)`,
      );
      if (missing.length) break;
    }
    const acknowledged = acknowledgedCount(seen);
    const kinds = {
      assets: seen.assets.size,
      documents: seen.documents.size,
      anchors: seen.anchors.size,
      pledges: seen.pledges.size,
    };
    return { cycles, acknowledged, present: acknowledged - missing.length, missing, kinds };
  } finally {
    job?.killGroup();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const cycles = Number(process.argv[2] ?? 10);
  crashCycles(cycles, { log: (line) => process.stdout.write(`${line}\n`) })
    .then((report) => {
      process.stdout.write(
        `${report.acknowledged} acknowledged, ${report.present} present ${JSON.stringify(report.kinds)}\n`,
      );
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
