// Comments on a document: anyone signed in writes one; anyone, signed out too, reports one;
// the project's coordinators hide one (it leaves public view, the audit keeps it). Reports and
// hiding each carry a reason. A comment's body is plain text and shown as text.
import { h } from "../dom";
import { tx, type MessageKey } from "../i18n";
import type { LoadedDocument, Viewer } from "./document";
import {
  ADD_COMMENT,
  DOCUMENT_COMMENTS,
  HIDE_COMMENT,
  REPORT_COMMENT,
  type AddCommentData,
  type Comment,
  type DocumentCommentsData,
  type HideCommentData,
  type ReportCommentData,
} from "./queries";
import { announce, field, fill, load, mutate, time } from "./ui";

type Action = "report" | "hide";
const ACTIONS: Record<Action, { query: string; reason: MessageKey; submit: MessageKey }> = {
  report: { query: REPORT_COMMENT, reason: "comments.reportReason", submit: "comments.report" },
  hide: { query: HIDE_COMMENT, reason: "comments.hideReason", submit: "comments.hide" },
};
type ActionResult = ReportCommentData["reportComment"] | HideCommentData["hideComment"];

/** A small form with a reason, opened from a comment. */
function reasonForm(c: Comment, action: Action, reload: () => Promise<void>): HTMLElement {
  const { query, reason: label, submit } = ACTIONS[action];
  const reason = h("input", { id: `${action}-${c.id}`, name: "reason", type: "text", required: true });
  const messages = h("div", { class: "form-messages" });
  const send = async (event: Event) => {
    event.preventDefault();
    const done = await mutate<ActionResult>(messages, query, { commentId: c.id, reason: reason.value.trim() },
      (d) => (action === "report" ? d.reportComment : d.hideComment));
    if (!done) return;
    if (action === "hide") await reload();
    else form.replaceChildren(announce("comments.reported"));
  };
  const form = h("form", { class: "form", onsubmit: (e: Event) => void send(e) },
    messages, field(reason, label), h("button", { type: "submit", class: "button button--secondary", msg: submit }));
  return h("details", {}, h("summary", { msg: submit }), form);
}

function commentItem(c: Comment, viewer: Viewer, reload: () => Promise<void>): HTMLElement {
  return h(
    "li",
    { class: "card comment" },
    h("p", { class: "card__meta" }, h("span", {}, c.authorName), ", ", time(c.createdAt)),
    h("p", { class: "comment__body" }, c.body),
    reasonForm(c, "report", reload),
    viewer.role === "COORDINATOR" ? reasonForm(c, "hide", reload) : null,
  );
}

function addForm(doc: LoadedDocument, reload: () => Promise<void>): HTMLElement {
  const body = h("textarea", { id: "comment-body", name: "body", rows: 4, required: true });
  const messages = h("div", { class: "form-messages" });
  const send = async (event: Event) => {
    event.preventDefault();
    const added = await mutate<AddCommentData["addComment"]>(messages, ADD_COMMENT, { documentId: doc.id, body: body.value }, (d) => d.addComment);
    if (added) await reload();
  };
  return h("form", { class: "form", onsubmit: (e: Event) => void send(e) },
    messages, field(body, "comments.yours"), h("button", { type: "submit", class: "button", msg: "comments.add" }));
}

export function commentsSection(doc: LoadedDocument, viewer: Viewer, reload: () => Promise<void>): HTMLElement {
  const heading = h("h2", { id: "comments", msg: "comments.heading" });
  const list = h("div", {});
  // Their own query: the document stands (saying so) when the comments cannot be loaded.
  void fill(list, async () => {
    const data = await load<DocumentCommentsData>(DOCUMENT_COMMENTS, { id: doc.id });
    const comments = data.document?.comments ?? [];
    tx(heading, "comments.title", { count: comments.length });
    if (!comments.length) return [h("p", { msg: "comments.none" })];
    return [h("ul", { class: "cards" }, ...comments.map((c) => commentItem(c, viewer, reload)))];
  }, "comments.failed");
  return h(
    "section",
    { "aria-labelledby": "comments" },
    heading,
    list,
    viewer.signedIn ? addForm(doc, reload) : h("p", {}, h("a", { href: "/sign-in", msg: "comments.signIn" })),
  );
}
