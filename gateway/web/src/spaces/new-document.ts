// A writer's form for a new document (on the project page): title, kind, language, first text.
import { h } from "../dom";
import { navigate } from "../router";
import { documentPath, KIND_LABELS, LANGUAGE_NAMES } from "./labels";
import { CREATE_DOCUMENT, DOCUMENT_KINDS, type CreateDocumentData, type ProjectFull } from "./queries";
import { field, mutate, select } from "./ui";

export function newDocumentForm(project: ProjectFull): HTMLElement {
  const title = h("input", { id: "doc-title", name: "title", type: "text", required: true });
  const kind = select("doc-kind", DOCUMENT_KINDS.map((k) => [k, KIND_LABELS[k]]), "plan");
  const language = select("doc-language", LANGUAGE_NAMES, document.documentElement.lang);
  const body = h("textarea", { id: "doc-body", name: "body", rows: 12, class: "editor__text" });
  const message = h("input", { id: "doc-message", name: "message", type: "text" });
  const messages = h("div", { class: "form-messages" });
  const submit = async (event: Event) => {
    event.preventDefault();
    const created = await mutate<CreateDocumentData["createDocument"]>(
      messages,
      CREATE_DOCUMENT,
      {
        input: {
          projectId: project.id,
          title: title.value.trim(),
          kind: kind.value,
          language: language.value,
          body: body.value,
          message: message.value.trim(),
        },
      },
      (data) => data.createDocument,
    );
    if (created?.__typename === "Document") navigate(documentPath(project.slug, created.id));
  };
  return h(
    "section",
    { "aria-labelledby": "new-document" },
    h("h2", { id: "new-document", msg: "documents.new" }),
    messages,
    h(
      "form",
      { class: "form form--wide", onsubmit: (e: Event) => void submit(e) },
      field(title, "document.titleField"),
      field(kind, "document.kindField"),
      field(language, "document.languageField"),
      field(body, "editor.body", "editor.bodyHelp"),
      field(message, "editor.message", "editor.messageHelp"),
      h("button", { type: "submit", class: "button", msg: "documents.create" }),
    ),
  );
}
