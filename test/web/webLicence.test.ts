/**
 * Licence drafts in the inbox of whoever must sign, in Chromium: the originator drafts a first licence of a patent
 * co-owned by a person and Bank B; the person signs by itself (no key), Bank B's inbox lists the draft waiting on its
 * own signature, opens it, reads the terms in words and signs with its key in the browser; the draft is then
 * complete and leaves every inbox. Saved at 1280×800, 200 % zoom and 390 px.
 */
import { expect } from "chai";
import request from "supertest";
import type { Page } from "playwright-core";
import type { GatewayFixture } from "../api/helpers/gatewayFixture";
import { recordPatent } from "../api/helpers/pledgeParties";
import { browserSuite, screenshots, signInFromPicker, watchedPage, INBOX } from "./browser";

describe("web app — licence drafts in the signer's inbox, signed in the browser (Chromium)", function () {
  this.timeout(180_000);
  const s = browserSuite();
  let f: GatewayFixture;
  let page: Page;
  let draftId = "";

  before(async () => {
    f = s.f;
    const [patentee] = f.parties;
    const bankB = f.signerOf["bank-b"];
    const assetId = await recordPatent(f, "ZL202611280009.9", [patentee, bankB]);
    const drafted = await f.as("originator").post("/licences/first-licences", {
      assetIds: [assetId],
      licensors: [patentee.address, bankB.address],
      exclusive: true,
      subLicensable: true,
      upfrontFee: "120000000",
      startDate: "2027-01-01",
      endDate: "2031-12-31",
      contractHash: `0x${"cd".repeat(32)}`,
    });
    expect(drafted.status, JSON.stringify(drafted.body)).to.equal(201);
    draftId = drafted.body.draftId;
    // The patentee has no organisation: it signs its own copy and posts it without a key.
    const { domain, types, message } = drafted.body.signers[0].typedData;
    const signature = await patentee.signTypedData(domain, types, message);
    const own = await request(f.app)
      .post(`/v1/licences/drafts/${draftId}/signatures`)
      .send({ signer: patentee.address, signature });
    expect(own.status, JSON.stringify(own.body)).to.equal(200);

    page = s.page = await watchedPage(s.browser, s.problems);
  });

  it("lists the draft in Bank B's inbox as waiting on its signature; Bank B signs it in the browser", async () => {
    await signInFromPicker(page, s.url, "Bank B", INBOX);
    const item = page.getByTestId(`licence-${draftId}`);
    await item.waitFor();
    await item.getByText("ZL202611280009.9").waitFor(); // the asset's number comes with its own request
    const text = await item.innerText();
    expect(text).to.include("首次许可");
    expect(text).to.include("ZL202611280009.9");
    expect(text).to.include("¥1,200,000.00");
    expect(text).to.include("1/2 已签名");
    await screenshots(page, "inbox-licence");
    await item.getByRole("link", { name: /去签名/ }).click();
    await page.waitForURL(new RegExp(`#/licence/${draftId}$`));

    // The terms in words, read from the very message that is signed.
    const terms = page.getByTestId("signing-terms");
    await terms.waitFor();
    await terms.getByText("发明专利 ZL202611280009.9").waitFor();
    for (const words of ["同意首次许可", "独占许可", "¥1,200,000.00", "2027年1月1日 – 2031年12月31日"]) {
      expect(await terms.innerText(), words).to.include(words);
    }
    expect(await page.getByTestId(`licence-signer-${f.parties[0].address.toLowerCase()}`).innerText()).to.include(
      "已签名",
    );
    await screenshots(page, "licence-draft");
    await page.getByRole("button", { name: /使用演示签名密钥/ }).click();
    await page.getByRole("button", { name: "签名", exact: true }).click();
    await page.getByTestId("licence-signed").waitFor();

    // The gateway has both consents: the draft is complete, and no inbox lists it any more.
    const read = await f.as("originator").get(`/licences/drafts/${draftId}`);
    expect(read.body.complete).to.equal(true);
    expect((await f.as("bank-b").get("/inbox/licence-drafts")).body.drafts).to.deep.equal([]);
    await page.goto(`${s.url}/#/inbox`);
    await page.getByRole("heading", { level: 1, name: INBOX }).waitFor();
    await page.getByTestId("inbox-signatures").waitFor();
    expect(await page.getByTestId("inbox-licences").count()).to.equal(0);
  });
});
