/** The web app's desk reads: the organisations directory (names for addresses) and the drafts (pledge applications,
 * licences) waiting on the caller. */
import { z } from "zod";
import { ROLES } from "../../organisations";
import { dateOut, instantOut, moneyOut } from "../../openapi/schemas";

export const directorySchema = z
  .object({
    organisations: z.array(
      z.object({
        name: z.string().openapi({ example: "Bank A (licensed lender)" }),
        role: z.enum(ROLES),
        address: z.string().openapi({ description: "the account that signs the organisation's typed data" }),
      }),
    ),
  })
  .openapi("OrganisationDirectory", {
    description: "Every organisation this gateway serves: name, role and address only (never a key or its hash)",
  });

/** Who signs a draft and whether the caller is the one missing (pledge and licence drafts alike). */
const signatureState = {
  signBy: instantOut.openapi({ description: "the earliest signer's deadline: signatures after it are refused" }),
  signers: z.array(z.object({ address: z.string(), role: z.string(), signed: z.boolean() })),
  awaitingMe: z.boolean().openapi({ description: "the caller's own address is a signer that has not signed yet" }),
};

export const openDraftsSchema = z
  .object({
    drafts: z.array(
      z.object({
        draftId: z.string(),
        pledgee: z.string(),
        assets: z.array(z.string()),
        principal: moneyOut,
        currency: z.string().openapi({ description: "ISO 4217", example: "CNY" }),
        ...signatureState,
      }),
    ),
  })
  .openapi("OpenPledgeDrafts");

export const openLicenceDraftsSchema = z
  .object({
    drafts: z.array(
      z.object({
        draftId: z.string(),
        kind: z.enum(["first", "sub"]).openapi({ description: "a first licence (licensors sign) or a sub-licence" }),
        originator: z.string(),
        licensee: z.string(),
        assets: z.array(z.string()).openapi({ description: "the licensed assets (a first licence; empty for a sub)" }),
        firstLicenceId: z
          .string()
          .nullable()
          .openapi({ description: "the first licence a sub-licence is granted under" }),
        amount: moneyOut.openapi({
          description: "a first licence's upfront fee, or a sub-licence's instalments summed",
        }),
        startDate: dateOut,
        endDate: dateOut,
        ...signatureState,
      }),
    ),
  })
  .openapi("OpenLicenceDrafts");
