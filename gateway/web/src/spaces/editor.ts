// `/projects/:slug/documents/:id/edit`: a writer saves a new revision naming its parent; a
// skill member proposes one instead. On a RevisionConflict both texts are shown side by side
// and the textarea keeps the writer's text to merge, saved next against the new parent.
import { alertBox, h } from "../dom";
import { navigate, type Page, type RouteMatch } from "../router";
import { filePicker } from "./attachments";
import { conflictView } from "./conflict";
import { documentHeader, isWriter, loadDocument, nameHeading, type Viewer, type LoadedDocument } from "./document";
import { documentPath } from "./labels";
import { PROPOSE_REVISION, SAVE_REVISION, type ProposeData, type SaveRevisionData } from "./queries";
import { actionButton, field, fill, mutate, Problem } from "./ui";

function editorForm(doc: LoadedDocument, viewer: Viewer, startText: string): HTMLElement {
  const writer = isWriter(viewer);
  // The revision this text starts from; a conflict moves it to the one that landed.
  let parent = doc.current?.id ?? null;
  const body = h("textarea", { id: "editor-body", name: "body", rows: 20, class: "editor__text", lang: doc.language });
  body.value = startText;
  const message = h("input", { id: "editor-message", name: "message", type: "text" });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const conflict = h("div", {});
  const done = () => navigate(documentPath(doc.project.slug, doc.id));
  // Writers' revisions carry files; a proposal has none of its own.
  const files = writer ? filePicker(doc) : null;

  const save = async () => {
    if (!parent) return;
    const input = { body: body.value, message: message.value.trim() };
    if (!writer) {
      const proposed = await mutate<ProposeData["proposeRevision"]>(
        messages, PROPOSE_REVISION, { input: { ...input, documentId: doc.id, baseRevisionId: parent } }, (d) => d.proposeRevision);
      if (proposed) done();
      return;
    }
    const attachmentIds = files?.ids();
    const saved = await mutate<SaveRevisionData["saveRevision"]>(
      messages, SAVE_REVISION, { input: { ...input, documentId: doc.id, parentRevisionId: parent, ...(attachmentIds ? { attachmentIds } : {}) } }, (d) => d.saveRevision);
    if (saved?.__typename === "RevisionConflict") {
      parent = saved.current.id;
      const useTheirs = actionButton("conflict.startFromTheirs", async () => {
        body.value = saved.current.body;
        body.focus();
      });
      conflict.replaceChildren(conflictView(saved.current, saved.submitted.body, doc.language), useTheirs);
      messages.append(alertBox("conflict.alert"));
      body.focus();
    } else if (saved) done();
  };

  return h(
    "div",
    {},
    h("p", { msg: writer ? "editor.writerHelp" : "editor.proposeHelp" }),
    messages,
    conflict,
    h(
      "form",
      { class: "form form--wide", onsubmit: (e: Event) => { e.preventDefault(); void save(); } },
      field(body, "editor.body", "editor.bodyHelp"),
      field(message, "editor.message", "editor.messageHelp"),
      files?.element,
      h("div", { class: "button-row" },
        h("button", { type: "submit", class: "button", msg: writer ? "editor.save" : "editor.submitProposal" }),
        h("a", { href: documentPath(doc.project.slug, doc.id), msg: "editor.cancel" })),
    ),
  );
}

export function editorPage({ params, query, setTitle }: RouteMatch): Page {
  return {
    title: "editor.title",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "editor.title" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        const { doc, viewer } = await loadDocument(params.id);
        nameHeading(heading, doc, setTitle);
        if (!viewer.signedIn) throw new Problem(alertBox("spaces.signInFirst"));
        if (!viewer.role) throw new Problem(alertBox("editor.notMember"));
        // Merging an accepted proposal that went stale: start from the proposed text.
        const proposal = doc.proposals.find((p) => p.id === query.get("proposal"));
        const start = proposal?.body ?? doc.current?.body ?? "";
        return [documentHeader(doc), editorForm(doc, viewer, start)];
      });
    },
  };
}
