/**
 * The office's remaining screens in Chromium: in the queue, an application's contract and valuation report open in
 * place, each hashed in the browser and checked against the register's hash (a file the gateway serves altered is
 * refused in words, a file it lacks is said so); "what changed since it was submitted" lists the freeze and the
 * holder change recorded after the application, with their dates. On the asset's page the clerk attaches a decision
 * document to a freeze: the browser hashes it, the gateway stores it, its hash goes on chain with the freeze, and the
 * timeline opens it. Each screen is saved at 1280×800, 200 % zoom and 390 px.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { DocumentStore } from "../../api/src/documents/store";
import type { GatewayFixture } from "../api/helpers/gatewayFixture";
import { anchorReport, application, preparedAndSigned, recordPatent } from "../api/helpers/pledgeParties";
import { browserSuite, screenshots, signInFromPicker, watchedPage, INBOX } from "./browser";

const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;
/** A 1×1 PNG (a scanned decision would be larger; the viewer shows any PNG as an image). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
/** A one-page PDF saying `line` (ASCII: one character is one byte, so the offsets in its cross-reference hold). */
function minimalPdf(line: string): string {
  const stream = `BT /F1 14 Tf 20 40 Td (${line}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((o, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  return `${pdf}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
}
/** A day as the app writes it in Chinese, in this machine's time zone like the browser's. */
const zhDate = (ms: number) => new Intl.DateTimeFormat("zh-CN", { dateStyle: "long" }).format(new Date(ms));

describe("web app — the office: documents opened in place, changes since submission, decision documents (Chromium)", function () {
  this.timeout(240_000);
  const s = browserSuite();
  let f: GatewayFixture;
  let page: Page;
  let url: string;
  const CONTRACT = "质押合同 第 2026-0042 号\n出质人以其发明专利权出质，担保借款人 100 万元债务。";
  const REPORT = minimalPdf("Valuation report ZL202611280001.1: CNY 2,500,000");
  let assetId = "";
  let pledgeId = "";
  let otherId = "";
  let tampered = "";
  let freezeTime = 0;
  let holdersTime = 0;

  before(async () => {
    ({ f, url } = s);
    const [holder, second, , newHolder] = f.parties;
    const store = new DocumentStore(f.dataDir);

    // The application: its contract and report files are in the gateway's store (content-addressed).
    assetId = await recordPatent(f, "ZL202611280001.1", [holder]);
    const reportId = await anchorReport(f, [assetId], REPORT);
    expect(store.putDocument(Buffer.from(REPORT))).to.equal(reportId);
    const contractHash = store.putDocument(Buffer.from(CONTRACT));
    const body = application(f, { assets: [assetId], pledgors: [holder], reportId }, { contractHash });
    const signed = await preparedAndSigned(f, body, [holder, f.signerOf["bank-a"]]);
    const submitted = await f.as("bank-a").post(`/pledges/applications/${signed.draftId}/submit`);
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    pledgeId = submitted.body.pledgeId;

    // After the submission, the office freezes the patent and records a new holder.
    const blockTime = async (block: number) => Number((await f.registry.provider.getBlock(block))!.timestamp) * 1000;
    const freeze = await f.as("registration-office").post(`/assets/${assetId}/freeze`, { freeze: "OwnershipDispute" });
    expect(freeze.status, JSON.stringify(freeze.body)).to.equal(200);
    freezeTime = await blockTime(freeze.body.proof.blockNumber);
    const holders = await f
      .as("registration-office")
      .post(`/assets/${assetId}/holders`, { holders: [{ address: newHolder.address, shareBps: 10_000 }] });
    expect(holders.status, JSON.stringify(holders.body)).to.equal(200);
    holdersTime = await blockTime(holders.body.proof.blockNumber);

    // A second application whose contract file on the gateway's disk was altered after it was stored.
    const asset2 = await recordPatent(f, "ZL202611280002.2", [second]);
    const report2 = await anchorReport(f, [asset2]);
    tampered = store.putDocument(Buffer.from("质押合同 第 2026-0043 号"));
    writeFileSync(join(f.dataDir, "documents", tampered.slice(2)), "质押合同 第 2026-0043 号（已改）");
    const signed2 = await preparedAndSigned(
      f,
      application(f, { assets: [asset2], pledgors: [second], reportId: report2 }, { contractHash: tampered }),
      [second, f.signerOf["bank-a"]],
    );
    const submitted2 = await f.as("bank-a").post(`/pledges/applications/${signed2.draftId}/submit`);
    expect(submitted2.status, JSON.stringify(submitted2.body)).to.equal(201);
    otherId = submitted2.body.pledgeId;

    // The browser's clock is the chain's (other suites move the chain's clock): "what changed" counts to its today.
    const chainNow = Number((await f.registry.provider.getBlock("latest"))!.timestamp) * 1000;
    page = s.page = await watchedPage(s.browser, s.problems, new Date(chainNow));
    await signInFromPicker(page, url, "Registration Office", INBOX);
  });

  it("opens the contract and the report in place, each checked against the register's hash", async () => {
    await page.goto(`${url}/#/queue`);
    const card = page.getByTestId(`application-${pledgeId}`);
    const contract = card.getByTestId(`doc-contract-${pledgeId}`);
    await contract.getByRole("button", { name: "在此打开：质押合同" }).click();
    await contract.getByTestId("doc-verified").waitFor();
    expect(await contract.locator("pre").innerText()).to.equal(CONTRACT);
    const report = card.getByTestId(`doc-report-${pledgeId}`);
    await report.getByRole("button", { name: "在此打开：评估报告" }).click();
    await report.getByTestId("doc-verified").waitFor();
    // A PDF is shown in its own frame, from the bytes just checked (a blob: URL of this page), never as text.
    const frame = report.locator("iframe");
    expect(await frame.getAttribute("title")).to.equal("评估报告");
    expect(await frame.getAttribute("src")).to.match(/^blob:http:\/\/127\.0\.0\.1:\d+\//);
    expect(await report.locator("pre").count()).to.equal(0);
    await screenshots(page, "queue-documents");

    // The altered file is refused, with the hash the browser computed; it is not shown.
    const altered = page.getByTestId(`doc-contract-${otherId}`);
    await altered.getByRole("button", { name: "在此打开：质押合同" }).click();
    const alert = altered.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).to.include("不一致");
    expect(await alert.innerText()).to.include(sha256(Buffer.from("质押合同 第 2026-0043 号（已改）")));
    expect(await altered.locator("pre").count()).to.equal(0);
    // Its report's file was never stored: said in words.
    const missing = page.getByTestId(`doc-report-${otherId}`);
    await missing.getByRole("button", { name: "在此打开：评估报告" }).click();
    await missing.getByText("网关没有存这份文件").waitFor();
  });

  it("says what changed since the application was submitted: the freeze and the new holder, with their dates", async () => {
    const changes = page.getByTestId(`changes-${pledgeId}`);
    await changes.waitFor();
    const frozen = changes.getByTestId("change-FROZEN");
    expect(await frozen.innerText()).to.include("被冻结");
    expect(await frozen.innerText()).to.include("ZL202611280001.1");
    expect(await frozen.locator("time").getAttribute("datetime")).to.equal(new Date(freezeTime).toISOString());
    const moved = changes.getByTestId("change-HOLDERS_CHANGED");
    expect(await moved.innerText()).to.include("权利人发生变更");
    expect(await moved.innerText()).to.include(zhDate(holdersTime));
    expect(await changes.locator("li").count(), "nothing else changed").to.equal(2);
    // The other application: nothing changed since its submission.
    expect(await page.getByTestId(`changes-${otherId}`).innerText()).to.include("均无变化");
    await screenshots(page, "queue-changes");
    // A change recorded while the queue is open shows after Refresh.
    const opened = await f.as("registration-office").post(`/assets/${assetId}/invalidation`, { pending: true });
    expect(opened.status, JSON.stringify(opened.body)).to.equal(200);
    await page.getByRole("button", { name: "刷新" }).click();
    await changes.getByTestId("change-INVALIDATION_OPENED").getByText("无效宣告程序启动").waitFor();
    expect(await changes.locator("li").count()).to.equal(3);
    // Each asset change links to the asset's page.
    await frozen.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "发明专利 ZL202611280001.1" }).waitFor();
  });

  it("attaches a decision document to a freeze: hashed here, stored, on chain, opened from the timeline", async () => {
    // The freeze is lifted by a court's decision, scanned as an image.
    await page.setInputFiles("#decision-file", { name: "解除冻结裁定.png", mimeType: "image/png", buffer: PNG });
    const expected = sha256(PNG);
    await page.getByTestId("decision-hash").getByText(expected).waitFor();
    await page.getByLabel("冻结", { exact: true }).selectOption("None");
    await page.getByRole("form", { name: "冻结与解冻" }).getByRole("button", { name: "登记" }).click();
    await page.getByTestId("step-done").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("decision-hash").count(), "the next step starts without a file").to.equal(0);

    // On chain: the unfreeze carries the document's hash; the gateway holds the file.
    const r = f.contracts.assetRegister;
    const events = await r.queryFilter(r.filters.FreezeRecorded(assetId));
    const unfreeze = events[events.length - 1];
    expect(unfreeze.args.documentHash).to.equal(expected);
    expect(new DocumentStore(f.dataDir).getDocument(expected)?.equals(PNG)).to.equal(true);

    // The timeline's newest event opens it in place, checked, as an image.
    const newest = page.getByTestId("timeline").locator(":scope > li").first();
    await newest.and(page.locator('[data-event="FreezeRecorded"]')).waitFor();
    const doc = newest.getByTestId(`decision-${unfreeze.transactionHash}-FreezeRecorded`);
    await doc.getByRole("button", { name: "在此打开：决定文书" }).click();
    await doc.getByTestId("doc-verified").waitFor();
    const image = doc.getByRole("img", { name: "决定文书" });
    await image.waitFor();
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).to.equal(1);
    await screenshots(page, "asset-decision-document");
  });
});
