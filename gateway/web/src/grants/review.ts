// `/calls/:id/review`: a panel member's scoring form — each submitted application with a score
// per criterion on the call's scale (a select for short scales, a number field with min and max
// for long ones) and a comment. One's earlier review is filled in (writing again replaces it).
// A member of the applying project gets ConflictOfInterest: said plainly on that application.
// Someone without a seat on the panel is told so instead of shown forms they may not use.
import { alertBox, h } from "../dom";
import { tx } from "../i18n";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { actionButton, announce, fill, load, Problem } from "../spaces/ui";
import { FieldErrors, placeRefusal, send } from "./answers";
import { callPath, isId } from "./labels";
import { amount } from "./money";
import { REVIEW_APPLICATION, REVIEWS, type ReviewedApplication, type ReviewResult, type ReviewsData } from "./queries";

type ReviewCall = NonNullable<ReviewsData["call"]>;
/** A scale this long or shorter is offered as a select; a longer one as a number field. */
const SELECT_UP_TO = 11;

function scoreControl(id: string, call: ReviewCall, value: number | undefined): HTMLSelectElement | HTMLInputElement {
  const { scaleMin: min, scaleMax: max } = call;
  if (max - min + 1 > SELECT_UP_TO) {
    return h("input", { id, name: id, type: "number", min, max, step: 1, value: value === undefined ? "" : String(value), class: "input--short" });
  }
  const options = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return h("select", { id, name: id },
    h("option", { value: "", selected: value === undefined, msg: "grants.chooseScore" }),
    ...options.map((n) => h("option", { value: String(n), selected: n === value }, String(n))));
}

function reviewItem(call: ReviewCall, application: ReviewedApplication): HTMLElement {
  const mine = application.reviews.find((r) => r.mine);
  const errors = new FieldErrors();
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const controls = call.criteria.map((criterion, i) => {
    const id = `score-${application.id}-${i}`;
    const control = scoreControl(id, call, mine?.scores.find((s) => s.criterion === criterion.name)?.score);
    const label = h("span", {}, criterion.name, " ", h("span", { class: "field-help", msg: "grants.weightOf", vars: { count: criterion.weight } }));
    return { criterion, control, field: errors.field(`scores.${criterion.name}`, control, label) };
  });
  const comment = h("textarea", { id: `comment-${application.id}`, name: "comment", rows: 3, maxlength: 10000 });
  comment.value = mine?.comment ?? "";
  const save = actionButton(mine ? "grants.updateReview" : "grants.saveReview", async () => {
    errors.clear();
    const missing = controls.filter((c) => c.control.value === "");
    missing.forEach((c) => errors.mark(`scores.${c.criterion.name}`, "grants.scoreNeeded"));
    if (missing.length) {
      messages.replaceChildren(alertBox("grants.fixFields"));
      return missing[0].control.focus();
    }
    const scores = controls.map((c) => ({ criterion: c.criterion.name, score: Number(c.control.value) }));
    const answer = await send<ReviewResult>(messages, REVIEW_APPLICATION, { id: application.id, scores, comment: comment.value.trim() }, (d) => d.reviewApplication);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(placeRefusal(answer.refused, errors));
    messages.replaceChildren(announce("grants.reviewSaved"));
    tx(save, "grants.updateReview");
  });
  save.className = "button";
  const headingId = `review-${application.id}`;
  return h("li", { class: "card grants-review" },
    h("h2", { id: headingId, class: "card__title" }, application.title),
    h("p", { class: "card__meta" }, application.projectName ?? h("span", { msg: "hours.aProject" }), " · ", h("span", { msg: "grants.requested" }), " ", amount(application.requested)),
    application.summary ? h("p", { class: "grants-summary" }, application.summary) : null,
    mine ? h("p", { class: "field-help", msg: "grants.reviewedBefore" }) : null,
    h("fieldset", { class: "fieldset" },
      h("legend", { msg: "grants.scoresFor", vars: { title: application.title } }),
      h("p", { class: "field-help", msg: "grants.scaleFromTo", vars: { min: call.scaleMin, max: call.scaleMax } }),
      ...controls.map((c) => c.field)),
    errors.field("comment", comment, "grants.comment", "grants.commentHelp"),
    messages,
    save);
}

/** More of the call's submitted applications, a page at a time (a call takes up to a
 * thousand: a reviewer reaches every one). */
function moreButton(call: ReviewCall, list: HTMLElement, after: string | null): HTMLElement | null {
  if (!after) return null;
  const button = actionButton("grants.moreApplications", async () => {
    const data = await load<ReviewsData>(REVIEWS, { id: call.id, after });
    const page = data.call?.applications;
    if (!page) return;
    const items = page.nodes.map((a) => reviewItem(call, a));
    list.append(...items);
    const next = moreButton(call, list, page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
    button.replaceWith(...(next ? [next] : []));
    // The button is gone: the focus goes to the first new application's first score.
    items[0]?.querySelector<HTMLElement>("select, input")?.focus();
  });
  return button;
}

export function reviewPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "grants.reviewTitle",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "grants.reviewTitle" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        if (!isId(params.id)) throw new Problem(alertBox("grants.noCall"));
        if (!token()) throw new Problem(h("p", {}, h("a", { href: "/sign-in", msg: "grants.signIn" })));
        const data = await load<ReviewsData>(REVIEWS, { id: params.id });
        const call = data.call;
        if (!call) throw new Problem(alertBox("grants.noCall"));
        tx(heading, "grants.reviewHeading", { title: call.title });
        setTitle(heading.textContent ?? call.title);
        const back = h("p", { class: "breadcrumb" }, h("a", { href: callPath(call.id), msg: "grants.backToCall" }));
        if (call.status !== "open" && call.status !== "closed") return [back, h("p", { msg: "grants.reviewsDone" })];
        // Only the panel scores: anyone else is told so, and where to join the pool.
        if (!call.panel.youSit) {
          return [back, h("p", { class: "grants-not-on-panel", msg: "grants.notOnPanel" }),
            h("p", {}, h("a", { href: "/calls#reviewer-pool", msg: "grants.pool.link" }))];
        }
        const page = call.applications;
        if (!page.nodes.length) return [back, h("p", { msg: "grants.nothingToReview" })];
        const list = h("ul", { class: "cards" }, ...page.nodes.map((a) => reviewItem(call, a)));
        return [
          back,
          h("p", { msg: "grants.reviewIntro" }),
          h("p", { class: "field-help", msg: "grants.applicationsToReview", vars: { count: page.totalCount } }),
          list,
          moreButton(call, list, page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null),
        ].filter((n) => n !== null) as HTMLElement[];
      });
    },
  };
}
