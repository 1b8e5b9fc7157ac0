/**
 * The parties' later steps on a pledge — release (注销), declaration of default, disposal, change (变更), withdrawal
 * — in two calls each, like an application: `POST /pledges/:pledgeId/<step>/typed-data` hands every required signer
 * its typed data (own nonce and deadline); `POST /pledges/:pledgeId/<step>` takes their signatures and relays. The
 * signatures are the authority: the register checks them, so a missing or wrong one is refused with its code.
 */
import type { Router } from "express";
import { ZeroAddress, ZeroHash } from "ethers";
import { z } from "zod";
import { NO_CONSENT, type Consent } from "../../../../definitions/typedData";
import type { ApiDefinition } from "../../openapi/registry";
import type { Registry } from "../../chain/registry";
import type { Sent } from "../../chain/relayer";
import { AppError } from "../../errors/AppError";
import type { Role } from "../../organisations";
import {
  DISPOSAL_METHODS,
  actionResultSchema,
  actionSigningSchema,
  changeFields,
  defaultFields,
  disposalFields,
  pledgeIdParams,
  releaseFields,
  signaturesField,
  withdrawalFields,
  type SignatureInput,
} from "./schema";
import { disposalOf, lossSharingOf, partiesOf, relay, writeResult } from "./service";
import { same } from "../drafts/signatureDraft";
import { signingRequests, type Party, type PrimaryType } from "./signing";

type Parties = Awaited<ReturnType<typeof partiesOf>>;

/** A party's later step: who signs what, and the relayed call with one consent per signer (in the same order). */
interface PartyAction<F extends z.ZodObject> {
  path: string;
  summary: string;
  roles?: Role[];
  fields: F;
  primaryType: PrimaryType;
  plan(pledgeId: bigint, parties: Parties, f: z.infer<F>): { message: Record<string, unknown>; signers: Party[] };
  call(pledgeId: bigint, parties: Parties, f: z.infer<F>, consents: Consent[]): Promise<Sent>;
  /** Facts the answer adds (the disposal and its loss split). */
  extra?(pledgeId: bigint): Promise<object>;
}

export function partyActions(api: ApiDefinition, router: Router, registry: Registry) {
  const p = registry.pledgeRegistry;
  const tag = "Pledges";

  const partyAction = <F extends z.ZodObject>(action: PartyAction<F>) => {
    /** The step's answer from its mined transaction (also a recovered retry's: openapi/registry.ts `Answer`). */
    const done = async (sent: Sent, { params }: { params: { pledgeId: bigint } }) => ({
      ...(await writeResult(registry, params.pledgeId, sent)),
      ...(await action.extra?.(params.pledgeId)),
    });
    api.route(
      router,
      {
        method: "post",
        path: `/pledges/:pledgeId/${action.path}/typed-data`,
        tag,
        summary: `${action.summary}: the typed data each signer signs`,
        roles: action.roles,
        params: pledgeIdParams,
        body: action.fields,
        response: actionSigningSchema,
      },
      async ({ params, body }) => {
        const { message, signers } = action.plan(params.pledgeId, await partiesOf(registry, params.pledgeId), body);
        const requests = await signingRequests(registry, action.primaryType, message, signers);
        return {
          pledgeId: params.pledgeId.toString(),
          action: action.path,
          signers: requests.map(({ address, role, typedData }) => ({ address, role, typedData })),
        };
      },
    );
    api.route(
      router,
      {
        method: "post",
        path: `/pledges/:pledgeId/${action.path}`,
        tag,
        summary: `${action.summary}, with the signers' signatures`,
        roles: action.roles,
        params: pledgeIdParams,
        body: action.fields.extend({ signatures: signaturesField }).openapi(`${action.primaryType}Request`),
        response: actionResultSchema,
      },
      async ({ params, body }) => {
        const { signatures, ...fields } = body as z.infer<F> & { signatures: SignatureInput[] };
        const parties = await partiesOf(registry, params.pledgeId);
        const { signers } = action.plan(params.pledgeId, parties, fields as z.infer<F>);
        signatures.forEach((s, i) => {
          if (!signers.some((signer) => same(signer.address, s.signer))) {
            const field = `signatures.${i}.signer`;
            throw AppError.of("VALIDATION_FAILED", `${field}: not a signer of this step`, field);
          }
        });
        const consents = signers.map((signer): Consent => {
          const s = signatures.find((given) => same(given.signer, signer.address));
          return s ? { nonce: s.nonce, deadline: s.deadline, signature: s.signature } : NO_CONSENT;
        });
        const sent = await action.call(params.pledgeId, parties, fields as z.infer<F>, consents);
        return done(sent, { params });
      },
      done,
    );
  };

  const pledgeeSigns = (parties: Parties): Party[] => [{ address: parties.pledgee, role: "pledgee" }];

  partyAction({
    path: "release",
    summary: "Release the pledge (注销); the assets are free at once",
    roles: ["pledgee"],
    fields: releaseFields,
    primaryType: "PledgeRelease",
    plan: (pledgeId, parties) => ({ message: { pledgeId: pledgeId.toString() }, signers: pledgeeSigns(parties) }),
    call: (pledgeId, _parties, _f, [consent]) => relay(registry, p.release, pledgeId, consent),
  });

  partyAction({
    path: "default",
    summary: "Declare default; before maturity only with evidence of a default event",
    roles: ["pledgee"],
    fields: defaultFields,
    primaryType: "PledgeDefault",
    plan: (pledgeId, parties, f) => ({
      message: { pledgeId: pledgeId.toString(), evidenceHash: f.evidenceHash ?? ZeroHash },
      signers: pledgeeSigns(parties),
    }),
    call: (pledgeId, _parties, f, [consent]) =>
      relay(registry, p.declareDefault, pledgeId, f.evidenceHash ?? ZeroHash, consent),
  });

  const disposalTerms = (f: z.infer<typeof disposalFields>) => ({
    method: DISPOSAL_METHODS.indexOf(f.method),
    proceeds: f.proceeds.toString(),
    transferee: f.transferee ?? ZeroAddress,
    evidenceHash: f.evidenceHash,
  });
  partyAction({
    path: "disposal",
    summary: "Record the disposal of an enforced pledge; the loss is shared by its risk-compensation scheme",
    roles: ["pledgee"],
    fields: disposalFields,
    primaryType: "PledgeDisposal",
    plan: (pledgeId, parties, f) => ({
      message: { pledgeId: pledgeId.toString(), ...disposalTerms(f) },
      signers: pledgeeSigns(parties),
    }),
    call: (pledgeId, _parties, f, [consent]) => relay(registry, p.recordDisposal, pledgeId, disposalTerms(f), consent),
    extra: async (pledgeId) => ({
      disposal: await disposalOf(registry, pledgeId),
      lossSharing: await lossSharingOf(registry, pledgeId),
    }),
  });

  const newTerms = (parties: Parties, f: z.infer<typeof changeFields>) => ({
    principal: f.principal.toString(),
    maturityDate: f.maturityDate.toString(),
    pledgee: f.pledgee ?? parties.pledgee,
  });
  partyAction({
    path: "change",
    summary: "Change the amount, maturity or pledgee (变更); every pledgor, the pledgee and a new pledgee sign",
    roles: ["pledgee"],
    fields: changeFields,
    primaryType: "PledgeChange",
    plan: (pledgeId, parties, f) => {
      const terms = newTerms(parties, f);
      const signers: Party[] = [
        ...parties.pledgors.map((address) => ({ address, role: "pledgor" as const })),
        ...pledgeeSigns(parties),
      ];
      if (!same(terms.pledgee, parties.pledgee)) signers.push({ address: terms.pledgee, role: "newPledgee" });
      return { message: { pledgeId: pledgeId.toString(), ...terms }, signers };
    },
    call: (pledgeId, parties, f, consents) => {
      const n = parties.pledgors.length;
      return relay(registry, p.change, pledgeId, newTerms(parties, f), {
        pledgors: consents.slice(0, n),
        pledgee: consents[n],
        newPledgee: consents[n + 1] ?? NO_CONSENT,
      });
    },
  });

  partyAction({
    path: "withdrawal",
    summary: "Withdraw a pending application; the pledgee or a pledgor signs",
    fields: withdrawalFields,
    primaryType: "PledgeWithdrawal",
    plan: (pledgeId, parties, f) => {
      const role = same(f.party, parties.pledgee) ? "pledgee" : "pledgor";
      if (role === "pledgor" && !parties.pledgors.some((a) => same(a, f.party))) {
        throw AppError.of("VALIDATION_FAILED", "party: not a party of this pledge", "party");
      }
      return { message: { pledgeId: pledgeId.toString() }, signers: [{ address: f.party, role }] };
    },
    call: (pledgeId, _parties, f, [consent]) => relay(registry, p.withdraw, pledgeId, f.party, consent),
  });
}
