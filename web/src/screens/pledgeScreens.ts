/**
 * The screens that sign (the bank's pledge screens, a party's signing link, the evaluator's desk, a licence draft) and
 * the notice,
 * loaded only when one opens: they bring ethers for signing (web/src/signing/) and the QR encoder.
 */
export { Apply } from "./Apply";
export { DraftScreen } from "./Draft";
export { Evaluator } from "./Evaluator";
export { Holdings } from "./Holdings"; // webpool: a holder's claim, signed in the page
export { LicenceDraftScreen } from "./LicenceDraft"; // webdesk
export { MyPledges } from "./MyPledges";
export { Notice } from "./Notice";
export { PledgePage } from "./PledgePage";
export { SignLink } from "./SignLink";
