/** Who is signed in: the API key lives in sessionStorage (this tab only), the organisation is asked of the gateway. */
import { whoAmI, type Session } from "./api";
import { signal } from "./state";

const KEY = "ipr.apiKey";
export const current = signal<{ key: string; org: Session } | null>(null);

export async function signIn(key: string) {
  const org = await whoAmI(key);
  sessionStorage.setItem(KEY, key);
  current.set({ key, org });
  return org;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  current.set(null);
}

/** On load: sign in again with the key this tab kept, if the gateway still knows it. */
export async function restore() {
  const key = sessionStorage.getItem(KEY);
  if (!key) return;
  try {
    await signIn(key);
  } catch {
    signOut();
  }
}

/** The screens each role has, in menu order; the first is its landing page. */
export function screensFor(role: string | undefined): string[] {
  switch (role) {
    case "registrar":
      return ["queue", "collateral", "bulk", "verify"];
    case "pledgee":
      return ["collateral", "bulk", "verify"];
    case "auditor":
      return ["pools", "collateral", "bulk", "verify"];
    case "evaluator":
      return ["reports", "verify"];
    case "originator":
    case "investor":
      return ["pools", "verify"];
    default:
      return ["verify"];
  }
}
