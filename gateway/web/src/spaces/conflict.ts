// A conflict shown plainly: the revision that landed in between and the text that was not
// saved, side by side, both as plain text (nothing lost, nothing overwritten).
import { h } from "../dom";
import type { Revision } from "./queries";
import { personName, time } from "./ui";

export function conflictView(current: Revision, unsaved: string, language: string): HTMLElement {
  return h(
    "section",
    { class: "conflict", "aria-labelledby": "conflict-heading" },
    h("h2", { id: "conflict-heading", msg: "conflict.title" }),
    h("p", { msg: "conflict.explain" }),
    h(
      "div",
      { class: "conflict__sides" },
      h(
        "div",
        { class: "conflict__side" },
        h("h3", { msg: "conflict.theirs" }),
        h("p", { class: "card__meta" }, personName(current.author), ", ", time(current.createdAt), current.message ? ` — ${current.message}` : ""),
        h("pre", { class: "source", lang: language, tabindex: "0", "aria-labelledby": "conflict-heading" }, current.body),
      ),
      h(
        "div",
        { class: "conflict__side" },
        h("h3", { msg: "conflict.yours" }),
        h("pre", { class: "source", lang: language, tabindex: "0", "aria-labelledby": "conflict-heading" }, unsaved),
      ),
    ),
  );
}
