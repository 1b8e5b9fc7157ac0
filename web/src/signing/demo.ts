/** Whether this gateway is the local demo (it lists demo organisations): only then is the demo key offered. */
import { useEffect, useState } from "preact/hooks";
import { demoOrganisations } from "../api";

let known: Promise<boolean> | null = null;
const isDemo = () =>
  (known ??= demoOrganisations().then(
    (list) => list !== null,
    () => false,
  ));

export function useDemo(): boolean {
  const [demo, setDemo] = useState(false);
  useEffect(() => {
    void isDemo().then(setDemo);
  }, []);
  return demo;
}
