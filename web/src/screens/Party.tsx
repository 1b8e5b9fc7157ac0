/**
 * Names instead of addresses: an address of an organisation this gateway serves is shown as "Bank A (0x12ab…cdef)",
 * any other as the short address; the full address is always in the title (on hover) and read out by screen readers.
 */
import { useEffect } from "preact/hooks";
import { organisationsByAddress, type KnownOrganisation } from "../deskApi";
import { shortAddress } from "../deskLogic";
import { current } from "../session";
import { signal, useSignal } from "../state";

/** The directory once loaded for the signed-in key (empty before, or when not signed in). */
const directory = signal<{ key: string; byAddress: Map<string, KnownOrganisation> } | null>(null);

/** The organisations directory of the signed-in key: asked once, then every Party on every screen uses it. */
export function useDirectory(): Map<string, KnownOrganisation> {
  const session = useSignal(current);
  const loaded = useSignal(directory);
  const key = session?.key ?? null;
  useEffect(() => {
    if (!key || loaded?.key === key) return;
    organisationsByAddress(key).then(
      (byAddress) => directory.set({ key, byAddress }),
      () => undefined, // names are a help: without them the addresses stay
    );
  }, [key]);
  const own: [string, KnownOrganisation][] = session
    ? [
        [
          session.org.address.toLowerCase(),
          { name: session.org.name, role: session.org.role, address: session.org.address },
        ],
      ]
    : [];
  return new Map([...own, ...(loaded?.key === key ? loaded.byAddress : [])]);
}

/** The name of a known address, or null. */
export function useNameOf(): (address: string) => string | null {
  const byAddress = useDirectory();
  return (address) => byAddress.get(address.toLowerCase())?.name ?? null;
}

/**
 * An address in words. `full`: on printed pages (a notice), where nobody can hover, the whole address follows the
 * name.
 */
export function Party({ address, full = false }: { address: string; full?: boolean }) {
  const nameOf = useNameOf();
  if (!address) return <>—</>;
  const name = nameOf(address);
  const shown = full ? address : shortAddress(address);
  if (!name) {
    return (
      <code class="hash party" title={address} aria-label={address}>
        {shown}
      </code>
    );
  }
  return (
    <span class="party" title={address} data-address={address}>
      <strong>{name}</strong> <code class="hash">({shown})</code>
    </span>
  );
}
