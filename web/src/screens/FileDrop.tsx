/** A file chooser that also takes a dropped file, and the file's SHA-256 computed here (crypto.subtle). */
import { useState } from "preact/hooks";
import { t } from "../i18n";

export async function sha256Of(file: File): Promise<string> {
  return sha256OfBytes(new Uint8Array(await file.arrayBuffer()));
}

/** The SHA-256 of some bytes, 0x-prefixed hex (crypto.subtle: computed here, nothing sent). */
export async function sha256OfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return `0x${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function FileDrop(props: {
  id: string;
  describedBy?: string;
  fileName: string | null;
  onFile: (f: File) => void;
}) {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      class={`drop card${dragging ? " dragging" : ""}`}
      onDragOver={(e) => (e.preventDefault(), setDragging(true))}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer?.files[0];
        if (file) props.onFile(file);
      }}
    >
      {/* The native input stays focusable and announced; its label is the visible button, in the page's language. */}
      <label for={props.id} class="file-label">
        {t("chooseFile")}
      </label>
      <input
        id={props.id}
        type="file"
        aria-describedby={props.describedBy}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) props.onFile(file);
        }}
      />
      <span class="muted">{t("dropHere")}</span>
      {props.fileName && <strong class="file-name">{props.fileName}</strong>}
    </div>
  );
}
