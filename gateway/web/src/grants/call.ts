// `/calls/:id`: a call — its description, terms, criteria and rules, what is left of its
// budget, its ranking, the vote's tally once closed, its public ledger and its panel draw.
// Officers also get the call's actions and, once it is closed, the award screen (./officer.ts).
import { alertBox, h } from "../dom";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { fill, load, Problem, time } from "../spaces/ui";
import { drawSection } from "./draw";
import { BALLOT_LABELS, CALL_STATUS_LABELS, callPath, isId, MODE_LABELS, VOTER_RULE_LABELS } from "./labels";
import { ledgerSection } from "./ledger";
import { amount, fraction } from "./money";
import { officerSection } from "./officer";
import { CALL, CALL_OUTCOME, isOfficer, type CallData, type CallOutcomeData, type CallTerms, type FullCall, type Money } from "./queries";
import { rankingSection, tallySection } from "./ranking";

const hasVote = (call: Pick<CallTerms, "mode">) => call.mode !== "PANEL";

function ballotTerms(call: CallTerms): Node[] {
  if (!hasVote(call) || !call.ballotKind) return [];
  const kind = h("span", { msg: BALLOT_LABELS[call.ballotKind] });
  const detail =
    call.ballotKind === "POINTS" ? h("span", { msg: "grants.ballotPointsOf", vars: { count: call.ballotPoints ?? 0 } })
    : call.ballotKind === "APPROVAL" ? h("span", { msg: "grants.ballotChoicesOf", vars: { count: call.ballotMaxChoices ?? 0 } })
    : null;
  const voters = call.voterRule === "CLAIM"
    ? h("span", { msg: "grants.votersWithClaim", vars: { claim: call.voterClaim ?? "", value: call.voterClaimValue ?? "" } })
    : h("span", { msg: VOTER_RULE_LABELS.CITIZEN });
  return [
    h("dt", { msg: "grants.ballotKind" }), h("dd", {}, kind, detail ? " — " : "", detail),
    h("dt", { msg: "grants.voters" }), h("dd", {}, voters),
  ];
}

/** The call's terms: money, dates, how it decides. */
export function termsSection(call: CallTerms): HTMLElement {
  return h("section", { "aria-labelledby": "call-terms" },
    h("h2", { id: "call-terms", msg: "grants.terms" }),
    h("dl", { class: "facts grants-terms" },
      h("dt", { msg: "grants.budget" }), h("dd", {}, amount(call.budget)),
      h("dt", { msg: "grants.remaining" }), h("dd", { class: "grants-remaining" }, amount(call.remaining)),
      h("dt", { msg: "grants.awardRange" }), h("dd", {}, amount(call.minAward), " – ", amount(call.maxAward)),
      h("dt", { msg: "grants.opensOn" }), h("dd", {}, time(call.opensOn, "date")),
      h("dt", { msg: "grants.closesOn" }), h("dd", {}, time(call.closesOn, "date")),
      h("dt", { msg: "grants.mode" }), h("dd", {}, h("span", { msg: MODE_LABELS[call.mode] })),
      ...(call.mode === "BOTH" ? [h("dt", { msg: "grants.voteWeight" }), h("dd", {}, fraction(call.voteWeight))] : []),
      ...(call.mode !== "VOTE"
        ? [
            h("dt", { msg: "grants.scale" }), h("dd", { msg: "grants.scaleFromTo", vars: { min: call.scaleMin, max: call.scaleMax } }),
            h("dt", { msg: "grants.panelSize" }), h("dd", {}, String(call.panelSize)),
          ]
        : []),
      ...ballotTerms(call)));
}

function criteriaSection(call: CallTerms): HTMLElement | null {
  if (call.mode === "VOTE") return null;
  return h("section", { "aria-labelledby": "call-criteria" },
    h("h2", { id: "call-criteria", msg: "grants.criteria" }),
    h("table", { class: "status-table grants-criteria" },
      h("caption", { msg: "grants.criteriaCaption" }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", msg: "grants.criterion" }), h("th", { scope: "col", msg: "grants.weight" }))),
      h("tbody", {}, ...call.criteria.map((c) => h("tr", {}, h("th", { scope: "row" }, c.name), h("td", {}, String(c.weight)))))));
}

/** Who may apply: the call's rules, in words. */
export function rulesList(call: Pick<CallTerms, "minMembers" | "minHours" | "district">): HTMLElement {
  const rules = [
    call.minMembers !== null ? h("li", { msg: "grants.ruleMinMembers", vars: { count: call.minMembers } }) : null,
    call.minHours !== null ? h("li", { msg: "grants.ruleMinHours", vars: { count: call.minHours } }) : null,
    call.district ? h("li", { msg: "grants.ruleDistrict", vars: { district: call.district.name } }) : null,
  ].filter((n): n is HTMLLIElement => n !== null);
  return rules.length ? h("ul", {}, ...rules) : h("p", { msg: "grants.noRules" });
}

function rulesSection(call: CallTerms): HTMLElement {
  return h("section", { "aria-labelledby": "call-rules" },
    h("h2", { id: "call-rules", msg: "grants.eligibility" }), rulesList(call));
}

/** Where people act on the call: apply, review, vote; officers edit a draft. */
function links(call: FullCall, officer: boolean): HTMLElement | null {
  const signedIn = !!token();
  const items = [
    call.status === "open" ? h("a", { href: callPath(call.id, "/apply"), msg: "grants.applyLink" }) : null,
    signedIn && call.mode !== "VOTE" && (call.status === "open" || call.status === "closed")
      ? h("a", { href: callPath(call.id, "/review"), msg: "grants.reviewLink" }) : null,
    hasVote(call) && call.status !== "draft" ? h("a", { href: callPath(call.id, "/vote"), msg: call.status === "open" ? "grants.voteLink" : "grants.tallyLink" }) : null,
    officer && call.status === "draft" ? h("a", { href: callPath(call.id, "/edit"), msg: "grants.editLink" }) : null,
  ].filter((n): n is HTMLAnchorElement => n !== null);
  return items.length ? h("ul", { class: "actions" }, ...items.map((a) => h("li", {}, a))) : null;
}

export function callPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "grants.callTitle",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "grants.callTitle" });
      const notices = h("div", { class: "form-messages", "aria-live": "polite" });
      const body = h("div", {});
      main.append(heading, notices, body);
      const render = (): Promise<void> =>
        fill(body, async () => {
          if (!isId(params.id)) throw new Problem(alertBox("grants.noCall"));
          const data = await load<CallData>(CALL, { id: params.id });
          if (!data.call) throw new Problem(alertBox("grants.noCall"));
          const published = data.call.status !== "draft";
          const outcome = published ? (await load<CallOutcomeData>(CALL_OUTCOME, { id: params.id })).call : null;
          const call: FullCall = { ...data.call, draw: outcome?.draw ?? null, tally: outcome?.tally ?? null };
          heading.removeAttribute("data-i18n");
          heading.textContent = call.title;
          setTitle(call.title);
          const officer = isOfficer(data.me);
          const ledger = published ? ledgerSection(call.id) : null;
          /** After an award: what is left of the budget, and the ledger, asked again. */
          const moneyChanged = (remaining: Money) => {
            body.querySelector(".grants-remaining")?.replaceChildren(amount(remaining));
            const fresh = ledgerSection(call.id);
            body.querySelector(".grants-ledger-section")?.replaceWith(fresh);
          };
          return [
            h("p", { class: "breadcrumb" }, h("a", { href: "/calls", msg: "grants.backToCalls" })),
            h("p", { class: "card__meta" }, h("span", { msg: "grants.statusLabel" }), " ", h("strong", { class: "grants-status", msg: CALL_STATUS_LABELS[call.status] })),
            call.description ? h("div", { class: "prose grants-description" }, ...call.description.split(/\n{2,}/).map((p) => h("p", {}, p))) : null,
            links(call, officer),
            officer ? officerSection(call, notices, render, moneyChanged) : null,
            termsSection(call),
            criteriaSection(call),
            rulesSection(call),
            rankingSection(call),
            hasVote(call) && published ? tallySection(call.tally) : null,
            ledger,
            drawSection(call, officer),
          ].filter((n): n is HTMLElement => n !== null);
        });
      void render();
    },
  };
}
