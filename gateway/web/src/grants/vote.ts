// `/calls/:id/vote`: the public vote's ballot (castBallot), by the call's ballot kind — points to
// spread (at most ballotPoints), applications to approve (at most ballotMaxChoices), or
// applications chosen within the budget (a running total of their requests against it, in exact
// cents). One's own ballot is filled in and can be changed until the call closes; after the
// close the page shows the tally.
import { alertBox, h } from "../dom";
import { tx } from "../i18n";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { actionButton, announce, fill, load, Problem, time } from "../spaces/ui";
import { grantsRefusalAlert, send } from "./answers";
import { callPath, isId } from "./labels";
import { amount, amountIn, centsOf, fromCents } from "./money";
import { CAST_BALLOT, VOTE, VOTE_MORE, type Ballot, type BallotResult, type VoteApplication, type VoteData, type VoteMoreData } from "./queries";
import { tallyTable } from "./ranking";

type VoteCall = NonNullable<VoteData["call"]>;

/** A ballot weighs every application against the others: all of them are on the page, page by
 * page after the first (a call takes at most a thousand: ten pages). */
const MOST_PAGES = 10;
async function theRest(call: VoteCall): Promise<void> {
  let info = call.applications.pageInfo;
  for (let page = 1; page < MOST_PAGES && info.hasNextPage; page++) {
    const more = await load<VoteMoreData>(VOTE_MORE, { id: call.id, after: info.endCursor });
    if (!more.call) return;
    call.applications.nodes.push(...more.call.applications.nodes);
    info = more.call.applications.pageInfo;
  }
}

function intro(call: VoteCall): HTMLElement {
  if (call.ballotKind === "POINTS") return h("p", { msg: "grants.pointsIntro", vars: { count: call.ballotPoints ?? 0 } });
  if (call.ballotKind === "APPROVAL") return h("p", { msg: "grants.approvalIntro", vars: { count: call.ballotMaxChoices ?? 0 } });
  return h("p", {}, h("span", { msg: "grants.knapsackIntro" }), " ", amount(call.budget));
}

/** When one's ballot was cast (and, while the vote runs, until when it can change). */
function cast(ballot: Ballot | null, call: VoteCall): HTMLElement {
  if (!ballot) return h("p", { class: "grants-my-ballot", msg: "grants.noBallotYet" });
  const open = call.status === "open";
  return h("p", { class: "grants-my-ballot" }, h("span", { msg: "grants.ballotCastOn" }), " ", time(ballot.castAt), ".",
    open ? h("span", {}, " ", h("span", { msg: "grants.changeUntil" }), " ", time(call.closesOn, "date"), ".") : null);
}

interface Choice {
  application: VoteApplication;
  control: HTMLInputElement;
  item: HTMLElement;
}

function choiceRow(call: VoteCall, application: VoteApplication, ballot: Ballot | null, onChange: () => void): Choice {
  const given = ballot?.choices.find((c) => c.applicationId === application.id)?.points ?? 0;
  const id = `choice-${application.id}`;
  const points = call.ballotKind === "POINTS";
  const control = points
    ? h("input", { id, name: "points", type: "number", min: 0, max: call.ballotPoints ?? 0, step: 1, value: String(given), class: "input--short", oninput: onChange })
    : h("input", { id, name: "choice", type: "checkbox", value: application.id, checked: given > 0, onchange: onChange });
  const label = h("label", { for: id }, h("strong", {}, application.title), " — ",
    application.projectName ?? h("span", { msg: "hours.aProject" }), " · ", amount(application.requested));
  const row = points
    ? h("div", { class: "field grants-choice" }, label, control)
    : h("div", { class: "check grants-choice" }, control, label);
  const item = h("li", {}, row, application.summary ? h("p", { class: "field-help" }, application.summary) : null);
  return { application, control, item };
}

function runningTotal(call: VoteCall, choices: Choice[], line: HTMLElement): void {
  const warn = (msg: "grants.tooMany" | "grants.tooManyPoints" | "grants.overBudget", extra: Node | null = null) =>
    h("strong", { class: "grants-sum__off" }, h("span", { "aria-hidden": "true" }, "✗ "), h("span", { msg }), extra ? " " : "", extra);
  if (call.ballotKind === "POINTS") {
    const given = choices.reduce((s, c) => s + Math.max(0, Math.trunc(Number(c.control.value) || 0)), 0);
    const max = call.ballotPoints ?? 0;
    line.replaceChildren(h("span", { msg: "grants.pointsGiven", vars: { count: given, max } }), given > max ? " · " : "", given > max ? warn("grants.tooManyPoints") : "");
    return;
  }
  const chosen = choices.filter((c) => c.control.checked);
  if (call.ballotKind === "APPROVAL") {
    const max = call.ballotMaxChoices ?? 0;
    line.replaceChildren(h("span", { msg: "grants.chosenOf", vars: { count: chosen.length, max } }), chosen.length > max ? " · " : "", chosen.length > max ? warn("grants.tooMany") : "");
    return;
  }
  const total = chosen.reduce((s, c) => s + centsOf(c.application.requested), 0n);
  const budget = centsOf(call.budget);
  const money = (cents: bigint) => amountIn(fromCents(cents), call.currency);
  line.replaceChildren(
    h("span", { msg: "grants.chosenTotal" }), " ", money(total), " · ",
    total <= budget
      ? h("span", {}, h("span", { msg: "grants.budgetLeft" }), " ", money(budget - total))
      : warn("grants.overBudget", money(total - budget)));
}

function ballotForm(call: VoteCall): HTMLElement {
  let ballot = call.myBallot;
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const total = h("p", { class: "grants-sum", id: "ballot-total", "aria-live": "polite" });
  const mine = h("div", {}, cast(ballot, call));
  const update = () => runningTotal(call, choices, total);
  const choices = call.applications.nodes.map((a) => choiceRow(call, a, ballot, update));
  const button = actionButton(ballot ? "grants.changeBallot" : "grants.castBallot", async () => {
    const picked = call.ballotKind === "POINTS"
      ? choices.map((c) => ({ applicationId: c.application.id, points: Math.trunc(Number(c.control.value) || 0) })).filter((c) => c.points > 0)
      : choices.filter((c) => c.control.checked).map((c) => ({ applicationId: c.application.id, points: 1 }));
    const answer = await send<BallotResult>(messages, CAST_BALLOT, { callId: call.id, choices: picked }, (d) => d.castBallot);
    if (!answer) return;
    if ("refused" in answer) return void messages.append(grantsRefusalAlert(answer.refused, call.currency));
    if (answer.ok.__typename !== "Ballot") return;
    ballot = answer.ok;
    mine.replaceChildren(cast(ballot, call));
    messages.replaceChildren(announce("grants.ballotSaved"));
    tx(button, "grants.changeBallot");
  });
  button.className = "button";
  update();
  return h("form", { class: "form form--wide grants-ballot", novalidate: true, onsubmit: (e: Event) => e.preventDefault() },
    intro(call),
    call.voterRule === "CLAIM" ? h("p", { msg: "grants.votersWithClaim", vars: { claim: call.voterClaim ?? "", value: call.voterClaimValue ?? "" } }) : null,
    mine,
    h("fieldset", { class: "fieldset", "aria-describedby": "ballot-total" },
      h("legend", { msg: "grants.yourBallot" }),
      h("ul", { class: "grants-choices" }, ...choices.map((c) => c.item)),
      total),
    messages,
    button);
}

export function votePage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "grants.voteTitle",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "grants.voteTitle" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        if (!isId(params.id)) throw new Problem(alertBox("grants.noCall"));
        const data = await load<VoteData>(VOTE, { id: params.id });
        const call = data.call;
        if (!call) throw new Problem(alertBox("grants.noCall"));
        await theRest(call);
        tx(heading, "grants.voteHeading", { title: call.title });
        setTitle(heading.textContent ?? call.title);
        const back = h("p", { class: "breadcrumb" }, h("a", { href: callPath(call.id), msg: "grants.backToCall" }));
        if (call.mode === "PANEL") return [back, h("p", { msg: "grants.noVote" })];
        if (call.status === "closed" || call.status === "decided") {
          return [back, h("h2", { msg: "grants.tally" }), call.tally ? tallyTable(call.tally) : h("p", { msg: "grants.tallyLater" }),
            h("h2", { msg: "grants.yourBallot" }), ballotView(call)];
        }
        if (call.status !== "open") return [back, h("p", { msg: "grants.notOpen" })];
        if (!token()) return [back, intro(call), h("p", {}, h("a", { href: "/sign-in", msg: "grants.signInToVote" }))];
        if (!call.voter.mayVote) return [back, intro(call), h("p", { class: "grants-not-a-voter", msg: "grants.notAVoter" })];
        if (!call.applications.nodes.length) return [back, h("p", { msg: "grants.nothingToVote" })];
        return [back, ballotForm(call)];
      });
    },
  };
}

/** One's ballot once the vote is over: what it chose, read only. */
function ballotView(call: VoteCall): HTMLElement {
  const ballot = call.myBallot;
  if (!ballot) return h("p", { msg: token() ? "grants.noBallot" : "grants.signInForBallot" });
  const titles = new Map((call.tally?.lines ?? []).map((l) => [l.applicationId, l.title]));
  return h("div", {}, cast(ballot, call),
    h("ul", {}, ...ballot.choices.map((c) => h("li", {}, titles.get(c.applicationId) ?? c.applicationId,
      call.ballotKind === "POINTS" ? h("span", {}, " — ", h("span", { msg: "grants.pointsCount", vars: { count: c.points } })) : null))));
}
