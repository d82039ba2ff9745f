// Comments on a document: anyone signed in writes one; anyone reports one; the project's
// coordinators hide one (it leaves public view, the audit keeps it). Each with a reason.
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import type { LoadedDocument, Viewer } from "./document";
import { ADD_COMMENT, DOCUMENT_COMMENTS, type DocumentCommentsData, HIDE_COMMENT, REPORT_COMMENT, type Comment, type CommentResult } from "./queries";
import { announce, field, fill, load, mutate, personName, time } from "./ui";
import { tx } from "../i18n";

/** A small form with a reason, opened from a comment ("report" or "hide"). */
function reasonForm(c: Comment, action: "report" | "hide", reload: () => Promise<void>): HTMLElement {
  const id = `${action}-${c.id}`;
  const reason = h("input", { id, name: "reason", type: "text", required: true });
  const messages = h("div", { class: "form-messages" });
  const [query, legend, submit]: [string, MessageKey, MessageKey] =
    action === "report"
      ? [REPORT_COMMENT, "comments.reportReason", "comments.report"]
      : [HIDE_COMMENT, "comments.hideReason", "comments.hide"];
  const send = async (event: Event) => {
    event.preventDefault();
    const done = await mutate<CommentResult>(messages, query, { id: c.id, reason: reason.value.trim() },
      (d) => (action === "report" ? d.reportComment : d.hideComment));
    if (!done) return;
    if (action === "hide") await reload();
    else form.replaceChildren(announce("comments.reported"));
  };
  const form = h("form", { class: "form", onsubmit: (e: Event) => void send(e) },
    messages, field(reason, legend), h("button", { type: "submit", class: "button button--secondary", msg: submit }));
  return h("details", {}, h("summary", { msg: submit }), form);
}

function commentItem(c: Comment, viewer: Viewer, reload: () => Promise<void>): HTMLElement {
  return h(
    "li",
    { class: "card" },
    h("p", { class: "card__meta" }, personName(c.author), ", ", time(c.createdAt)),
    h("p", { class: "comment__body" }, c.body),
    viewer.signedIn ? reasonForm(c, "report", reload) : null,
    viewer.role === "COORDINATOR" ? reasonForm(c, "hide", reload) : null,
  );
}

function addForm(doc: LoadedDocument, reload: () => Promise<void>): HTMLElement {
  const body = h("textarea", { id: "comment-body", name: "body", rows: 4, required: true });
  const messages = h("div", { class: "form-messages" });
  const send = async (event: Event) => {
    event.preventDefault();
    const added = await mutate<CommentResult>(messages, ADD_COMMENT, { documentId: doc.id, body: body.value }, (d) => d.addComment);
    if (added) await reload();
  };
  return h("form", { class: "form", onsubmit: (e: Event) => void send(e) },
    messages, field(body, "comments.yours"), h("button", { type: "submit", class: "button", msg: "comments.add" }));
}

export function commentsSection(doc: LoadedDocument, viewer: Viewer, reload: () => Promise<void>): HTMLElement {
  const heading = h("h2", { id: "comments", msg: "comments.heading" });
  const list = h("div", {});
  // Their own query: the page stands when the schema has no comments yet.
  void fill(list, async () => {
    const data = await load<DocumentCommentsData>(DOCUMENT_COMMENTS, { id: doc.id });
    const comments = data.document?.comments ?? [];
    tx(heading, "comments.title", { count: comments.length });
    if (!comments.length) return [h("p", { msg: "comments.none" })];
    return [h("ul", { class: "cards" }, ...comments.map((c) => commentItem(c, viewer, reload)))];
  });
  return h(
    "section",
    { "aria-labelledby": "comments" },
    heading,
    list,
    viewer.signedIn ? addForm(doc, reload) : h("p", {}, h("a", { href: "/sign-in", msg: "comments.signIn" })),
  );
}
