// A document's attachments: the current revision's files with their download links, for
// everyone; and the editor's file picker — a writer uploads a file through the gateway's
// streamed upload path (the request body is the file), and the next save names it among the
// new revision's `attachmentIds` (left out, a save keeps its parent's files).
import { alertBox, h } from "../dom";
import { failureAlert, RequestFailed } from "../graphql";
import { intlLocale } from "../i18n";
import { token } from "../session";
import { isWriter, type LoadedDocument, type Viewer } from "./document";
import { uploadPath, type Attachment, type Uploaded } from "./queries";
import { announce, field } from "./ui";

/** Sends the file as the request body; the stored attachment, or throws with the refusal. */
async function upload(projectId: string, file: File): Promise<Uploaded> {
  let response: Response;
  try {
    response = await fetch(uploadPath(projectId, file.name), {
      method: "POST",
      headers: { Authorization: `Bearer ${token() ?? ""}`, "Content-Type": file.type || "application/octet-stream" },
      body: file,
    });
  } catch {
    throw new RequestFailed(null);
  }
  const answer = (await response.json().catch(() => null)) as (Uploaded & { detail?: { msg?: string }[] }) | null;
  if (response.ok && answer?.id) return answer;
  if (!answer?.detail) throw new RequestFailed(response.status);
  throw new UploadRefused(response.status, answer.detail.map((d) => d.msg ?? "").filter(Boolean));
}

/** spaces refused the file (too large, a type it does not take, not a writer): its reasons. */
class UploadRefused extends Error {
  constructor(readonly status: number, readonly reasons: string[]) {
    super(`HTTP ${status}`);
  }
}

function sizeText(bytes: number): string {
  const units = ["byte", "kilobyte", "megabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(intlLocale(), { style: "unit", unit: units[unit], maximumFractionDigits: 1 }).format(value);
}

type FileFacts = Pick<Attachment, "id" | "filename" | "mediaType" | "size">;

const facts = (file: FileFacts) => h("span", { class: "card__meta" }, `(${file.mediaType}, ${sizeText(file.size)})`);

/** A file's download link (its name is text, never markup) with its type and size. */
function fileLink(file: Attachment): HTMLElement {
  return h("span", {}, h("a", { href: file.url, download: file.filename, class: "attachment" }, file.filename), " ", facts(file));
}

/** The document page's list of the current revision's files. */
export function attachmentsSection(doc: LoadedDocument, viewer: Viewer): HTMLElement {
  const files = doc.attachments;
  return h(
    "section",
    { "aria-labelledby": "attachments" },
    h("h2", { id: "attachments", msg: "attachments.title", vars: { count: files.length } }),
    files.length
      ? h("ul", { class: "attachments" }, ...files.map((a) => h("li", {}, fileLink(a))))
      : h("p", { msg: "attachments.none" }),
    isWriter(viewer) ? h("p", { class: "field-help", msg: "attachments.inEditor" }) : null,
  );
}

/** The editor's files: the parent's (each kept unless unticked) and new uploads. `ids()` is
 * what the save sends — null while the set is the parent's, so the save keeps them as they are. */
export function filePicker(doc: LoadedDocument): { element: HTMLElement; ids(): string[] | null } {
  const parents = doc.attachments.map((a) => a.id);
  const list = h("ul", { class: "attachments" });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const boxes: HTMLInputElement[] = [];
  const add = (file: FileFacts) => {
    const box = h("input", { type: "checkbox", id: `keep-${file.id}`, value: file.id, checked: true });
    boxes.push(box);
    list.append(h("li", { class: "check" }, box, h("label", { for: box.id }, file.filename), " ", facts(file)));
  };
  doc.attachments.forEach(add);
  const chooser = h("input", { id: "attachment-file", name: "file", type: "file" });
  const send = async () => {
    const chosen = chooser.files?.[0];
    if (!chosen) {
      messages.replaceChildren(alertBox("attachments.chooseFile"));
      return;
    }
    messages.replaceChildren(h("p", { msg: "attachments.uploading" }));
    try {
      const stored = await upload(doc.projectId, chosen);
      add({ id: stored.id, filename: stored.filename, mediaType: stored.media_type, size: stored.size });
      messages.replaceChildren(announce("attachments.uploaded", { filename: stored.filename }));
      chooser.value = "";
    } catch (failure) {
      messages.replaceChildren(
        failure instanceof UploadRefused
          ? alertBox(failure.status === 413 ? "attachments.tooLarge" : "attachments.refused", failure.reasons)
          : failureAlert(failure instanceof RequestFailed ? failure : new RequestFailed(null)),
      );
    }
  };
  const element = h(
    "fieldset",
    { class: "fieldset" },
    h("legend", { msg: "attachments.heading" }),
    h("p", { class: "field-help", msg: "attachments.keepHelp" }),
    list,
    messages,
    field(chooser, "attachments.file", "attachments.fileHelp"),
    h("button", { type: "button", class: "button button--secondary", msg: "attachments.upload", onclick: () => void send() }),
  );
  const ids = () => {
    const kept = boxes.filter((b) => b.checked).map((b) => b.value);
    const same = kept.length === parents.length && kept.every((id, i) => id === parents[i]);
    return same ? null : kept;
  };
  return { element, ids };
}
