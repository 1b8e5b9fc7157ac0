/**
 * Organisations and their API keys. A key is a random secret shown once; only its SHA-256 is stored. Each
 * organisation has one role and one on-chain address (the account that signs its typed data).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ORGANISATION_ROLES, type OrganisationRole } from "../../definitions/roles";

/** An organisation's role at the gateway (definitions/roles.ts: each with its on-chain role). */
export const ROLES = Object.keys(ORGANISATION_ROLES) as [OrganisationRole, ...OrganisationRole[]];
export type Role = OrganisationRole;

export const organisationSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,64}$/),
  name: z.string().min(1),
  role: z.enum(ROLES),
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const hashApiKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/** A new API key: 32 random bytes, hex, with a prefix that says what it is when it leaks into a log. */
export const newApiKey = () => `ipr_${randomBytes(32).toString("hex")}`;

export class OrganisationDirectory {
  private readonly byKeyHash = new Map<string, Organisation>();

  constructor(readonly organisations: Organisation[]) {
    for (const org of organisations) this.byKeyHash.set(org.keyHash, org);
  }

  static fromFile(path: string): OrganisationDirectory {
    const parsed = z.array(organisationSchema).safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!parsed.success) {
      throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    return new OrganisationDirectory(parsed.data);
  }

  byApiKey(key: string): Organisation | undefined {
    return this.byKeyHash.get(hashApiKey(key));
  }
}
