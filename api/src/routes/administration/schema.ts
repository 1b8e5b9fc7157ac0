/**
 * The registrar's administration (SPEC §2 roles): licensing lenders and evaluators, vetting investors, the
 * registration policy, and what any address is on chain.
 */
import { z } from "zod";
import { ROLE_NAMES } from "../../../../definitions/roles";
import { address, bytes32, proofSchema, text } from "../../openapi/schemas";

export const addressBody = z.object({ address }).openapi("LicenceHolder");
export const addressParams = z.object({ address });

export const licenceResultSchema = z
  .object({
    address: z.string(),
    role: z.enum(ROLE_NAMES),
    licensed: z.boolean(),
    proof: proofSchema,
  })
  .openapi("LicenceChange");

export const participantSchema = z
  .object({
    address: z.string(),
    roles: z.array(z.enum(ROLE_NAMES)).openapi({ description: "every AccessManager role the address holds now" }),
    licensedLender: z.boolean(),
    licensedEvaluator: z.boolean(),
    identifiedInvestor: z.boolean(),
  })
  .openapi("Participant");

export const identifyBody = z
  .object({
    address,
    kycReference: bytes32.openapi({ description: "reference (e.g. SHA-256) of the KYC file kept off chain" }),
  })
  .openapi("InvestorIdentification");

export const removeBody = z.object({ reason: text({ min: 1, max: 500 }) }).openapi("InvestorRemoval");

export const investorResultSchema = z
  .object({ address: z.string(), identified: z.boolean(), proof: proofSchema })
  .openapi("InvestorChange");

export const instantRegistrationBody = z.object({ enabled: z.boolean() }).openapi("InstantRegistration");

export const policySchema = z
  .object({ instantRegistration: z.boolean() })
  .openapi("PledgesPolicy", { description: "with instant registration, a passing application is registered at once" });

export const policyResultSchema = z
  .object({ instantRegistration: z.boolean(), proof: proofSchema })
  .openapi("PledgesPolicyChange");
