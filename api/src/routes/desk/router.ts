/**
 * /v1/organisations, /v1/inbox/drafts and /v1/inbox/licence-drafts — small reads for the web app's desk:
 * - the organisations directory, so that screens show "Bank A (0x12…ab)" instead of a bare address: name, role and
 *   address only, never a key or its hash;
 * - the pledge application drafts still open (not submitted) where the calling organisation is a party: those its own
 *   address has still to sign (`awaitingMe`), and those it drafted that wait for others' signatures;
 * - the same for licence drafts: those a licensor or licensee organisation has still to sign, and the originator's
 *   own drafts still missing a signature (a complete draft is the originator's to record, no longer anyone's to sign).
 */
import { Router } from "express";
import { toUtf8String } from "ethers";
import type { ApiDefinition } from "../../openapi/registry";
import type { RecordStore } from "../../store/records";
import type { OrganisationDirectory } from "../../organisations";
import { organisationOf } from "../../middleware/auth";
import { dateOf, isoOf } from "../../openapi/schemas";
import { same } from "../drafts/signatureDraft";
import type { PledgeDraft } from "../pledges/service";
import type { LicenceDraft } from "../licences/service";
import { directorySchema, openDraftsSchema, openLicenceDraftsSchema } from "./schema";

const tag = "Desk";

export function deskRouter(api: ApiDefinition, records: RecordStore, organisations: OrganisationDirectory) {
  const router = Router();

  api.route(
    router,
    {
      method: "get",
      path: "/organisations",
      tag,
      summary: "The organisations this gateway serves: name, role and address (for showing names, not addresses)",
      response: directorySchema,
    },
    async () => ({
      organisations: organisations.organisations
        .map(({ name, role, address }) => ({ name, role, address }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }),
  );

  api.route(
    router,
    {
      method: "get",
      path: "/inbox/drafts",
      tag,
      summary: "Open pledge application drafts of the caller: those it must still sign, and those waiting on others",
      description:
        "Drafts not submitted yet where the calling organisation drafted the application or its address is a " +
        "signer. `awaitingMe`: its own signature is still missing. Other organisations' drafts are not listed.",
      response: openDraftsSchema,
    },
    async ({ req }) => {
      const me = organisationOf(req);
      const drafts = (await records.openDraftsOf<PledgeDraft>("pledge-drafts", me)).map((d) => ({
        draftId: d.draftId,
        pledgee: d.terms.pledgee,
        assets: d.terms.assetIds,
        principal: d.terms.debt.principal,
        currency: toUtf8String(d.terms.debt.currency),
        signBy: isoOf(d.signers.reduce((min, s) => (BigInt(s.deadline) < min ? BigInt(s.deadline) : min), 2n ** 64n)),
        signers: d.signers.map((s) => ({ address: s.address, role: s.role, signed: !!s.signature })),
        awaitingMe: d.signers.some((s) => same(s.address, me.address) && !s.signature),
      }));
      // Those waiting on the caller first, then by when their signatures run out.
      drafts.sort(
        (a, b) => Number(b.awaitingMe) - Number(a.awaitingMe) || (a.signBy ?? "").localeCompare(b.signBy ?? ""),
      );
      return { drafts };
    },
  );
  api.route(
    router,
    {
      method: "get",
      path: "/inbox/licence-drafts",
      tag,
      summary: "Open licence drafts of the caller: those it must still sign, and those waiting on others",
      description:
        "Licence drafts still missing a signature where the calling organisation is the originator or a signer (a " +
        "licensor of a first licence, the licensee of a sub-licence). `awaitingMe`: its own signature is missing. " +
        "Other organisations' drafts are not listed.",
      response: openLicenceDraftsSchema,
    },
    async ({ req }) => {
      const me = organisationOf(req);
      const seconds = (v: unknown) => (v === undefined || v === null ? null : dateOf(BigInt(String(v))));
      const drafts = (await records.list<LicenceDraft>("licence-drafts"))
        .filter((d) => d.signers.some((s) => !s.signature))
        .filter((d) => same(d.originator, me.address) || d.signers.some((s) => same(s.address, me.address)))
        .map((d) => {
          const terms = d.terms;
          const schedule = (Array.isArray(terms.schedule) ? terms.schedule : []) as { amount: string }[];
          return {
            draftId: d.draftId,
            kind: d.kind,
            originator: d.originator,
            licensee: String(terms.licensee ?? ""),
            assets: Array.isArray(terms.assetIds) ? (terms.assetIds as string[]) : [],
            firstLicenceId: d.kind === "sub" ? String(terms.firstLicenceId) : null,
            amount: (d.kind === "first"
              ? BigInt(String(terms.upfrontFee))
              : schedule.reduce((sum, i) => sum + BigInt(i.amount), 0n)
            ).toString(),
            startDate: seconds(terms.startDate),
            endDate: seconds(terms.endDate),
            signBy: isoOf(
              d.signers.reduce((min, s) => (BigInt(s.deadline) < min ? BigInt(s.deadline) : min), 2n ** 64n),
            ),
            signers: d.signers.map((s) => ({ address: s.address, role: s.role, signed: !!s.signature })),
            awaitingMe: d.signers.some((s) => same(s.address, me.address) && !s.signature),
          };
        });
      drafts.sort(
        (a, b) => Number(b.awaitingMe) - Number(a.awaitingMe) || (a.signBy ?? "").localeCompare(b.signBy ?? ""),
      );
      return { drafts };
    },
  );
  return router;
}
