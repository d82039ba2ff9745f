// A document's attachments: download links for everyone; writers upload a file through the
// gateway's streamed upload path, then attach it to the current revision.
import { alertBox, h } from "../dom";
import { failureAlert, RequestFailed } from "../graphql";
import { token } from "../session";
import { isWriter, type Viewer, type LoadedDocument } from "./document";
import { ATTACH_FILE, DOCUMENT_ATTACHMENTS, uploadPath, type DocumentAttachmentsData, type AttachData } from "./queries";
import { field, fill, load, mutate } from "./ui";
import { tx } from "../i18n";

/** Sends the file as the request body; the upload's id, or throws with the server's words. */
async function upload(projectId: string, file: File): Promise<string> {
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
  const answer = (await response.json().catch(() => null)) as { id?: string; detail?: { msg?: string }[] } | null;
  if (response.ok && answer?.id) return answer.id;
  const reasons = (answer?.detail ?? []).map((d) => d.msg ?? "").filter(Boolean);
  throw new UploadRefused(response.status, reasons);
}

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
  return new Intl.NumberFormat(document.documentElement.lang, { style: "unit", unit: units[unit], maximumFractionDigits: 1 }).format(value);
}

function uploadForm(doc: LoadedDocument, reload: () => Promise<void>): HTMLElement {
  const file = h("input", { id: "attachment-file", name: "file", type: "file" });
  const messages = h("div", { class: "form-messages" });
  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    const revision = doc.current?.id;
    if (!chosen || !revision) {
      messages.replaceChildren(alertBox("attachments.chooseFile"));
      return;
    }
    messages.replaceChildren(h("p", { msg: "attachments.uploading" }));
    let attachmentId: string;
    try {
      attachmentId = await upload(doc.project.id, chosen);
    } catch (failure) {
      messages.replaceChildren(failure instanceof UploadRefused ? alertBox("attachments.refused", failure.reasons) : failureAlert(failure));
      return;
    }
    const attached = await mutate<AttachData["attachFile"]>(messages, ATTACH_FILE, { revisionId: revision, attachmentId }, (d) => d.attachFile);
    if (attached) await reload();
  };
  return h(
    "form",
    { class: "form", onsubmit: (e: Event) => void submit(e) },
    messages,
    field(file, "attachments.file", "attachments.fileHelp"),
    h("button", { type: "submit", class: "button button--secondary", msg: "attachments.upload" }),
  );
}

export function attachmentsSection(doc: LoadedDocument, viewer: Viewer, reload: () => Promise<void>): HTMLElement {
  const heading = h("h2", { id: "attachments", msg: "attachments.heading" });
  const list = h("div", {});
  // Their own query: the page stands when the schema has no attachments yet.
  void fill(list, async () => {
    const data = await load<DocumentAttachmentsData>(DOCUMENT_ATTACHMENTS, { id: doc.id });
    const files = data.document?.attachments ?? [];
    tx(heading, "attachments.title", { count: files.length });
    if (!files.length) return [h("p", { msg: "attachments.none" })];
    return [h("ul", {}, ...files.map((a) =>
      h("li", {}, h("a", { href: a.url, download: a.filename }, a.filename), " ", h("span", { class: "card__meta" }, `(${a.mediaType}, ${sizeText(a.size)})`))))];
  });
  return h(
    "section",
    { "aria-labelledby": "attachments" },
    heading,
    list,
    isWriter(viewer) ? uploadForm(doc, reload) : null,
  );
}
