/** The bank's pledge screens, loaded only when one opens (they bring ethers for signing and the QR encoder). */
export { Apply } from "./Apply";
export { DraftScreen } from "./Draft";
export { MyPledges } from "./MyPledges";
export { Notice } from "./Notice";
export { PledgePage } from "./PledgePage";
export { SignLink } from "./SignLink";
