/**
 * An independent model of the pledge register, written from SPEC §4.2–4.3 (not from the contract), for the lifecycle
 * invariant test. It keeps the assets as the office recorded them, the valuation reports, and every pledge with its
 * one status, and says for each step what the register must answer: success, or the one refusal it must name.
 *
 * Which refusal (SPEC §4.2, "Which reason a refusal names"): signature, nonce and deadline problems first (the
 * pledgors' consents in their order, then the pledgee's, then a new pledgee's); otherwise the lowest-numbered failing
 * rule of 1–12. Within one rule the first asset in the application's order is named (for co-owners: the first
 * holder in the register's order), and the first pledgor in the application's order.
 */
import { PledgeStatus as STATUS, ValuationVerdict as VERDICT } from "./registryFixture";

/** SPEC §4.2's numbering of the rules, with the custom error that carries each code. */
export const SPEC_RULES = {
  PLEDGOR_NOT_HOLDER: { n: 1, error: "PledgorNotHolder" },
  ASSET_NOT_IN_FORCE: { n: 2, error: "AssetNotInForce" },
  ASSET_NOT_GRANTED: { n: 3, error: "AssetNotGranted" },
  ANNUAL_FEE_UNPAID: { n: 4, error: "AnnualFeeUnpaid" },
  ASSET_FROZEN: { n: 5, error: "AssetFrozen" },
  DEBT_BEYOND_EXPIRY: { n: 6, error: "DebtBeyondExpiry" },
  FORFEITURE_CLAUSE: { n: 7, error: "ForfeitureClause" },
  CO_OWNER_CONSENT_MISSING: { n: 8, error: "CoOwnerConsentMissing" },
  ALREADY_PLEDGED: { n: 9, error: "AlreadyPledged" },
  INVALIDATION_PENDING: { n: 10, error: "InvalidationPending" },
  VALUATION_INVALID: { n: 11, error: "ValuationInvalid" },
  PLEDGEE_NOT_LICENSED: { n: 12, error: "PledgeeNotLicensed" },
} as const;
export type RuleCode = keyof typeof SPEC_RULES;

/** The statuses of SPEC §4.3 and the verdicts on a report, numbered as the register's enums. */
export { STATUS, VERDICT };
export type Status = Exclude<keyof typeof STATUS, "None">;

export type AssetStatus = "Applied" | "Granted" | "Lapsed" | "Invalidated";

export interface ModelAsset {
  id: string;
  /** Patents pay annual fees; trademarks do not. */
  paysFees: boolean;
  status: AssetStatus;
  /** 0 = no fixed expiry. */
  expiry: bigint;
  feesPaidUntil: bigint;
  /** 0 none, 1 ownership dispute, 2 preservation order. */
  freeze: number;
  invalidationPending: boolean;
  /** In the register's order. */
  holders: string[];
}

export interface ModelReport {
  known: boolean;
  revoked: boolean;
  covers: Set<string>;
}

export interface ModelPledge {
  id: bigint;
  assets: string[];
  pledgors: string[];
  pledgee: string;
  principal: bigint;
  maturity: bigint;
  reportId: string;
  scheme: bigint;
  acknowledged: boolean;
  status: Status;
  registrationNumber: bigint;
}

/** What a step must come to: success, or a revert with this custom error and these arguments. */
export type Expected = { ok: true } | { ok: false; error: string; args: unknown[] };
export const OK: Expected = { ok: true };
export const refusal = (error: string, ...args: unknown[]): Expected => ({ ok: false, error, args });

/** A consent as the test made it: good, absent, signed by someone else, over a used nonce, or past its deadline. */
export type ConsentKind = "signed" | "missing" | "forged" | "usedNonce" | "expired";
export interface ConsentFacts {
  party: string;
  kind: ConsentKind;
  nonce: bigint;
  deadline: bigint;
}

/** What an application (or a pledge's terms after a change) states, as far as the rules look at it. */
export interface Terms {
  assets: string[];
  pledgors: string[];
  pledgee: string;
  maturity: bigint;
  reportId: string;
  forfeitureClause: boolean;
  acknowledged: boolean;
}

export class PledgeModel {
  readonly pledges: ModelPledge[] = [];
  instantRegistration = false;
  private registrations = 0n;

  constructor(
    readonly assets: Map<string, ModelAsset>,
    readonly reports: Map<string, ModelReport>,
    readonly licensed: Set<string>,
    /** The register's clock is only compared with dates years away, so the model's "now" need not be exact. */
    readonly now: bigint,
  ) {}

  pledge(id: bigint): ModelPledge | undefined {
    return this.pledges[Number(id) - 1];
  }

  /** The registered or enforced pledge holding the asset now, or undefined. */
  holderOf(assetId: string): ModelPledge | undefined {
    const active = this.pledges.filter(
      (p) => (p.status === "Registered" || p.status === "Enforced") && p.assets.includes(assetId),
    );
    if (active.length > 1) throw new Error(`model broken: asset ${assetId} under pledges ${active.map((p) => p.id)}`);
    return active[0];
  }

  verdictOf(reportId: string, assets: string[]): number {
    const report = this.reports.get(reportId);
    if (!report?.known) return VERDICT.Unknown;
    if (report.revoked) return VERDICT.Revoked;
    return assets.every((a) => report.covers.has(a)) ? VERDICT.Valid : VERDICT.AssetNotCovered;
  }

  /** The first signature, nonce or deadline problem among the consents, in the order given. */
  static consentProblem(consents: ConsentFacts[], required: boolean[]): Expected | undefined {
    for (const [i, c] of consents.entries()) {
      if (c.kind === "expired") return refusal("DeadlinePassed", c.party, c.deadline);
      if (c.kind === "usedNonce") return refusal("NonceUsed", c.party, c.nonce);
      if (c.kind === "forged" || (c.kind === "missing" && required[i])) return refusal("SignatureInvalid", c.party);
    }
    return undefined;
  }

  /** Every failing rule of 1–12 as [SPEC number, refusal], each rule's failures in the naming order. */
  failures(terms: Terms, consented: (pledgor: string) => boolean, self: bigint): [number, Expected][] {
    const found: [number, Expected][] = [];
    const add = (code: RuleCode, ...args: unknown[]) =>
      found.push([SPEC_RULES[code].n, refusal(SPEC_RULES[code].error, ...args)]);
    const assets = terms.assets.map((id) => this.assets.get(id)!);

    for (const pledgor of terms.pledgors) {
      if (!assets.some((a) => a.holders.includes(pledgor))) add("PLEDGOR_NOT_HOLDER", pledgor);
    }
    for (const a of assets) {
      const expired = a.expiry !== 0n && a.expiry <= this.now;
      if (a.status === "Lapsed" || a.status === "Invalidated" || expired) add("ASSET_NOT_IN_FORCE", a.id);
    }
    for (const a of assets) if (a.status === "Applied") add("ASSET_NOT_GRANTED", a.id);
    for (const a of assets) {
      if (a.status === "Granted" && a.paysFees && a.feesPaidUntil < this.now) {
        add("ANNUAL_FEE_UNPAID", a.id, a.feesPaidUntil);
      }
    }
    for (const a of assets) if (a.freeze !== 0) add("ASSET_FROZEN", a.id, BigInt(a.freeze));
    for (const a of assets) {
      if (a.expiry !== 0n && terms.maturity > a.expiry) add("DEBT_BEYOND_EXPIRY", a.id, a.expiry);
    }
    if (terms.forfeitureClause) add("FORFEITURE_CLAUSE");
    for (const a of assets) {
      for (const h of a.holders) {
        if (!terms.pledgors.includes(h) || !consented(h)) add("CO_OWNER_CONSENT_MISSING", a.id, h);
      }
    }
    for (const a of assets) {
      const holding = this.holderOf(a.id);
      if (holding && holding.id !== self) add("ALREADY_PLEDGED", a.id, holding.id);
    }
    for (const a of assets) if (a.invalidationPending && !terms.acknowledged) add("INVALIDATION_PENDING", a.id);
    const verdict = this.verdictOf(terms.reportId, terms.assets);
    if (verdict !== VERDICT.Valid) add("VALUATION_INVALID", terms.reportId, BigInt(verdict));
    if (!this.licensed.has(terms.pledgee)) add("PLEDGEE_NOT_LICENSED", terms.pledgee);
    return found;
  }

  /** The refusal the register must name: the lowest-numbered failing rule (its first failure), if any. */
  ruleRefusal(terms: Terms, consented: (pledgor: string) => boolean, self: bigint): Expected | undefined {
    const found = this.failures(terms, consented, self);
    if (found.length === 0) return undefined;
    const lowest = Math.min(...found.map(([n]) => n));
    return found.find(([n]) => n === lowest)![1];
  }

  private requireStatus(id: bigint, wanted: Status): Expected | ModelPledge {
    const p = this.pledge(id);
    if (!p) return refusal("PledgeNotFound", id);
    if (p.status !== wanted) return refusal("PledgeStatusInvalid", id, BigInt(STATUS[p.status]));
    return p;
  }

  private register(p: ModelPledge) {
    p.status = "Registered";
    p.registrationNumber = ++this.registrations;
  }

  // ───────────── the steps ─────────────

  apply(
    terms: Terms & { principal: bigint; scheme: bigint },
    pledgorConsents: ConsentFacts[],
    pledgeeConsent: ConsentFacts,
  ): Expected {
    const problem = PledgeModel.consentProblem(
      [...pledgorConsents, pledgeeConsent],
      [...pledgorConsents.map(() => false), true],
    );
    if (problem) return problem;
    const signed = (p: string) => pledgorConsents.some((c) => c.party === p && c.kind === "signed");
    const refused = this.ruleRefusal(terms, signed, 0n);
    if (refused) return refused;
    const p: ModelPledge = {
      id: BigInt(this.pledges.length + 1),
      assets: terms.assets,
      pledgors: terms.pledgors,
      pledgee: terms.pledgee,
      principal: terms.principal,
      maturity: terms.maturity,
      reportId: terms.reportId,
      scheme: terms.scheme,
      acknowledged: terms.acknowledged,
      status: "Pending",
      registrationNumber: 0n,
    };
    this.pledges.push(p);
    if (this.instantRegistration) this.register(p);
    return OK;
  }

  termsOf(p: ModelPledge): Terms {
    return { ...p, forfeitureClause: false };
  }

  registerStep(id: bigint): Expected {
    const p = this.requireStatus(id, "Pending");
    if (!("id" in p)) return p;
    const refused = this.ruleRefusal(this.termsOf(p), () => true, id);
    if (refused) return refused;
    this.register(p);
    return OK;
  }

  refuse(id: bigint): Expected {
    const p = this.requireStatus(id, "Pending");
    if (!("id" in p)) return p;
    p.status = "Refused";
    return OK;
  }

  withdraw(id: bigint, sender: string): Expected {
    const p = this.requireStatus(id, "Pending");
    if (!("id" in p)) return p;
    if (sender !== p.pledgee && !p.pledgors.includes(sender)) return refusal("PledgePartyInvalid", id, sender);
    p.status = "Withdrawn";
    return OK;
  }

  change(
    id: bigint,
    next: { principal: bigint; maturity: bigint; pledgee: string },
    pledgorConsents: ConsentFacts[],
    pledgeeConsent: ConsentFacts,
    newPledgeeConsent: ConsentFacts,
  ): Expected {
    const p = this.requireStatus(id, "Registered");
    if (!("id" in p)) return p;
    const assigned = next.pledgee !== p.pledgee;
    const consents = [...pledgorConsents, pledgeeConsent, ...(assigned ? [newPledgeeConsent] : [])];
    const problem = PledgeModel.consentProblem(
      consents,
      consents.map((_, i) => i >= pledgorConsents.length),
    );
    if (problem) return problem;
    const signed = (party: string) => pledgorConsents.some((c) => c.party === party && c.kind === "signed");
    const refused = this.ruleRefusal(
      { ...this.termsOf(p), maturity: next.maturity, pledgee: next.pledgee },
      signed,
      id,
    );
    if (refused) return refused;
    p.principal = next.principal;
    p.maturity = next.maturity;
    p.pledgee = next.pledgee;
    return OK;
  }

  /** Release, declaration of default: the pledge must be registered; only the pledgee's consent counts. */
  pledgeeStep(id: bigint, sender: string, to: "Released" | "Enforced"): Expected {
    const p = this.requireStatus(id, "Registered");
    if (!("id" in p)) return p;
    if (sender !== p.pledgee) return refusal("SignatureInvalid", p.pledgee);
    p.status = to;
    return OK;
  }

  /** The unrecovered loss of a disposal, or the refusal. */
  dispose(id: bigint, proceeds: bigint): Expected & { loss?: bigint; scheme?: bigint } {
    const p = this.requireStatus(id, "Enforced");
    if (!("id" in p)) return p;
    p.status = "Disposed";
    return { ok: true, loss: proceeds < p.principal ? p.principal - proceeds : 0n, scheme: p.scheme };
  }
}
