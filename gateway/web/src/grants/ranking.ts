// A call's ranking (position, project, request, score: the panel's and the vote's parts) and the
// vote's tally — tables, so every figure has its column's name.
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import { APPLICATION_STATUS_LABELS, BALLOT_LABELS } from "./labels";
import { amount, fraction } from "./money";
import type { FullCall, Tally } from "./queries";

const projectOf = (name: string | null) => (name ? h("span", {}, name) : h("span", { msg: "hours.aProject" }));
const col = (msg: MessageKey) => h("th", { scope: "col", msg });

export function rankingSection(call: FullCall): HTMLElement {
  const ranking = call.ranking;
  const panel = ranking.mode !== "VOTE";
  const vote = ranking.mode !== "PANEL";
  const rows = ranking.applications.map((a) =>
    h("tr", {},
      h("td", {}, String(a.position)),
      h("th", { scope: "row" }, projectOf(a.projectName)),
      h("td", {}, a.title),
      h("td", { class: "number" }, amount(a.requested)),
      h("td", { class: "number" }, fraction(a.score)),
      panel ? h("td", { class: "number" }, a.panel !== null ? fraction(a.panel) : h("span", { msg: "grants.none" }), " ", h("span", { class: "field-help", msg: "grants.reviewCount", vars: { count: a.reviews } })) : null,
      vote ? h("td", { class: "number" }, a.vote !== null ? fraction(a.vote) : h("span", { msg: "grants.notYet" })) : null,
      h("td", { msg: APPLICATION_STATUS_LABELS[a.status] })));
  return h("section", { "aria-labelledby": "call-ranking" },
    h("h2", { id: "call-ranking", msg: "grants.ranking" }),
    rows.length
      ? h("div", { class: "table-scroll" },
          h("table", { class: "status-table grants-ranking" },
            h("caption", { msg: "grants.rankingCaption" }),
            h("thead", {}, h("tr", {},
              col("grants.position"), col("grants.project"), col("grants.applicationTitle"), col("grants.requested"),
              col("grants.score"), panel ? col("grants.panelScore") : null, vote ? col("grants.voteShare") : null, col("grants.applicationStatus"))),
            h("tbody", {}, ...rows)))
      : h("p", { msg: "grants.noApplications" }),
    h("p", { class: "field-help" }, h("span", { msg: "grants.tieRule" }), " ", ranking.tieRule),
    vote && !ranking.votesCounted ? h("p", { class: "field-help", msg: "grants.votesLater" }) : null);
}

/** The vote's totals (public once the call is closed); before then, that they come then. */
export function tallySection(tally: Tally | null): HTMLElement {
  return h("section", { "aria-labelledby": "call-tally" },
    h("h2", { id: "call-tally", msg: "grants.tally" }),
    tally ? tallyTable(tally) : h("p", { msg: "grants.tallyLater" }));
}

export function tallyTable(tally: Tally): HTMLElement {
  const points = tally.kind === "POINTS";
  return h("div", {},
    h("p", {}, h("span", { msg: BALLOT_LABELS[tally.kind] }), " · ", h("span", { msg: "grants.ballotCount", vars: { count: tally.ballots } })),
    tally.lines.length
      ? h("table", { class: "status-table grants-tally" },
          h("caption", { msg: "grants.tallyCaption" }),
          h("thead", {}, h("tr", {}, col("grants.project"), col("grants.applicationTitle"), col(points ? "grants.points" : "grants.votes"))),
          h("tbody", {}, ...tally.lines.map((line) =>
            h("tr", {}, h("th", { scope: "row" }, projectOf(line.projectName)), h("td", {}, line.title), h("td", { class: "number" }, String(line.points))))))
      : h("p", { msg: "grants.noVotes" }));
}
