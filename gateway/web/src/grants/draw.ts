// The panel draw, verifiable by anyone: the fingerprints published when the call opened, and
// after the decision the seed, the frozen pool and the drawn entries (services/grants/DRAW.md
// says how to re-run it). Officers also see who sits on the panel.
import { h } from "../dom";
import type { FullCall, ReviewPanel } from "./queries";

const code = (text: string) => h("code", { class: "grants-hash" }, text);

function poolList(ids: string[], drawn: Set<string>): HTMLElement {
  return h("ol", { class: "grants-pool" },
    ...ids.map((id) => h("li", {}, code(id), drawn.has(id) ? h("span", {}, " — ", h("strong", { msg: "grants.draw.drawnMark" })) : null)));
}

export function drawSection(call: FullCall, officer: boolean): HTMLElement | null {
  const draw = call.draw;
  if (call.mode === "VOTE" || !draw) return null;
  const drawn = new Set(draw.drawnEntries ?? []);
  const facts: Node[] = [
    h("dt", { msg: "grants.draw.poolSize" }), h("dd", {}, String(draw.poolSize)),
    h("dt", { msg: "grants.panelSize" }), h("dd", {}, String(draw.panelSize)),
    h("dt", { msg: "grants.draw.state" }), h("dd", { msg: draw.drawn ? "grants.draw.done" : "grants.draw.notYet" }),
  ];
  if (draw.seedCommitment) facts.push(h("dt", { msg: "grants.draw.seedCommitment" }), h("dd", {}, code(draw.seedCommitment)));
  if (draw.poolCommitment) facts.push(h("dt", { msg: "grants.draw.poolCommitment" }), h("dd", {}, code(draw.poolCommitment)));
  if (draw.seed) facts.push(h("dt", { msg: "grants.draw.seed" }), h("dd", { class: "grants-seed" }, code(draw.seed)));
  return h("section", { "aria-labelledby": "call-draw" },
    h("h2", { id: "call-draw", msg: "grants.draw.title" }),
    h("p", { msg: draw.seed ? "grants.draw.introDecided" : "grants.draw.intro" }),
    h("dl", { class: "facts grants-draw" }, ...facts),
    draw.pool ? h("h3", { msg: "grants.draw.pool" }) : null,
    draw.pool ? poolList(draw.pool, drawn) : null,
    // Officers see who sits on it in their own section; the public after the decision.
    !officer && call.status === "decided" ? panelTable(call.panel, false) : null);
}

/** Who sits on the panel: person ids to officers; to everyone after the decision only their
 * places and pool entries. */
export function panelTable(panel: ReviewPanel, officer: boolean): HTMLElement {
  if (!panel.members.length) return h("p", { msg: "grants.panel.empty" });
  const th = (msg: "grants.panel.place" | "grants.panel.person" | "grants.panel.entry" | "grants.panel.seat") => h("th", { scope: "col", msg });
  return h("div", { class: "table-scroll" },
    h("table", { class: "status-table grants-panel" },
      h("caption", { msg: "grants.panel.caption", vars: { count: panel.size } }),
      h("thead", {}, h("tr", {}, th("grants.panel.place"), officer ? th("grants.panel.person") : null, th("grants.panel.entry"), th("grants.panel.seat"))),
      h("tbody", {}, ...panel.members.map((m) =>
        h("tr", {},
          h("td", {}, m.place !== null ? String(m.place) : "—"),
          officer ? h("td", {}, code(m.personId ?? "")) : null,
          h("td", {}, m.poolEntryId ? code(m.poolEntryId) : "—"),
          h("td", { msg: m.seat === "DRAWN" ? "grants.panel.drawn" : "grants.panel.assigned" }))))));
}
