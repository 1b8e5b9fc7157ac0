/**
 * A stored document opened in place: fetched from the gateway with the session's key, its SHA-256 computed in this
 * browser and compared with the hash on the register, and only when they match shown in the page — a PDF or an image
 * in its own frame, text as text; any other kind of file is offered as a download and never rendered.
 */
import { useEffect, useState } from "preact/hooks";
import { fetchDocument } from "../deskApi";
import { documentKind, MEDIA_TYPES, type DocumentKind } from "../deskLogic";
import { t } from "../i18n";
import { current } from "../session";
import { ErrorBox, Hash } from "./common";
import { sha256OfBytes } from "./FileDrop";
import "./documents.css";

type Opened =
  | { state: "missing" }
  | { state: "mismatch"; computed: string }
  | { state: "shown"; kind: DocumentKind; url: string; text: string | null };

export function DocumentView({ hash, label, testid }: { hash: string; label: string; testid: string }) {
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!open) return;
    let url: string | null = null;
    let cancelled = false;
    setOpened(null);
    setError(null);
    (async () => {
      const bytes = await fetchDocument(current.get()!.key, hash);
      if (!bytes) return { state: "missing" } as const;
      const computed = await sha256OfBytes(bytes);
      if (computed !== hash.toLowerCase()) return { state: "mismatch", computed } as const;
      const kind = documentKind(bytes);
      const type = kind === "text" || kind === "other" ? "application/octet-stream" : MEDIA_TYPES[kind];
      url = URL.createObjectURL(new Blob([bytes], { type }));
      const text = kind === "text" ? new TextDecoder().decode(bytes) : null;
      return { state: "shown", kind, url, text } as const;
    })().then(
      (o) => (cancelled ? undefined : setOpened(o)),
      (e) => (cancelled ? undefined : setError(e)),
    );
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [open, hash]);

  return (
    <div class="document" data-testid={testid}>
      <p class="document-head">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {`${open ? t("docClose") : t("docOpen")}${label}`}
        </button>{" "}
        <Hash value={hash} />
      </p>
      {open && (
        <div aria-live="polite" class="document-body">
          {!opened && error === null && <p class="progress">{t("docChecking")}</p>}
          {error !== null && <ErrorBox error={error} />}
          {opened?.state === "missing" && <p class="muted">{t("docMissing")}</p>}
          {opened?.state === "mismatch" && (
            <p class="ko" role="alert">
              {t("docMismatch")}
              <Hash value={opened.computed} />
            </p>
          )}
          {opened?.state === "shown" && (
            <>
              <p class="ok" data-testid="doc-verified">
                {t("docMatches")}
              </p>
              {opened.kind === "pdf" && <iframe class="doc-frame" src={opened.url} title={label} />}
              {(opened.kind === "png" || opened.kind === "jpeg" || opened.kind === "gif" || opened.kind === "webp") && (
                <img class="doc-image" src={opened.url} alt={label} />
              )}
              {opened.kind === "text" && (
                <pre class="doc-text" tabIndex={0} aria-label={label}>
                  {opened.text}
                </pre>
              )}
              {opened.kind === "other" && (
                <p>
                  {t("docNotShown")}
                  <a href={opened.url} download={`${hash.slice(2, 18)}.bin`}>
                    {t("docDownload")}
                  </a>
                </p>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
