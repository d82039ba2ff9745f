// A call's public ledger: what is committed, paid out and left, every entry in order, and the
// whole ledger as CSV. A section of its own: the call's page stands without it.
import { h } from "../dom";
import { fill, load, Problem, time } from "../spaces/ui";
import { LEDGER_KIND_LABELS } from "./labels";
import { amount } from "./money";
import { LEDGER, type Ledger, type LedgerData, type LedgerEntry } from "./queries";

/** The most entries shown (the Ledger type gives no cursors to page on: the CSV has them all). */
const SHOWN = 100;

function entryRow(entry: LedgerEntry): HTMLElement {
  return h("tr", {},
    h("td", {}, time(entry.recordedAt)),
    h("td", { msg: LEDGER_KIND_LABELS[entry.kind] }),
    h("td", {}, entry.projectName ? entry.projectName : h("span", { msg: "hours.aProject" })),
    h("td", { class: "number" }, amount(entry.amount)),
    h("td", {}, entry.note));
}

function ledgerView(ledger: Ledger): Node[] {
  const head = (msg: "grants.ledger.when" | "grants.ledger.kind" | "grants.project" | "grants.ledger.amount" | "grants.ledger.note") =>
    h("th", { scope: "col", msg });
  return [
    h("dl", { class: "facts grants-ledger-totals" },
      h("dt", { msg: "grants.budget" }), h("dd", { class: "grants-ledger-budget" }, amount(ledger.budget)),
      h("dt", { msg: "grants.committed" }), h("dd", { class: "grants-ledger-committed" }, amount(ledger.committed)),
      h("dt", { msg: "grants.disbursed" }), h("dd", { class: "grants-ledger-disbursed" }, amount(ledger.disbursed)),
      h("dt", { msg: "grants.remaining" }), h("dd", { class: "grants-ledger-remaining" }, amount(ledger.remaining))),
    ledger.entries.length
      ? h("div", { class: "table-scroll" },
          h("table", { class: "status-table grants-ledger" },
            h("caption", { msg: "grants.ledger.caption" }),
            h("thead", {}, h("tr", {}, head("grants.ledger.when"), head("grants.ledger.kind"), head("grants.project"), head("grants.ledger.amount"), head("grants.ledger.note"))),
            h("tbody", {}, ...ledger.entries.map(entryRow))))
      : h("p", { msg: "grants.ledger.empty" }),
    ledger.totalCount > ledger.entries.length
      ? h("p", { msg: "grants.ledger.firstOnly", vars: { count: ledger.entries.length, total: ledger.totalCount } })
      : null,
    h("p", {}, h("a", { href: ledger.csvUrl, download: true, class: "grants-csv", msg: "grants.ledger.csv" })),
  ].filter((n) => n !== null) as HTMLElement[];
}

export function ledgerSection(callId: string): HTMLElement {
  const region = h("div", { class: "grants-ledger-region" });
  void fill(region, async () => {
    const data = await load<LedgerData>(LEDGER, { id: callId, first: SHOWN });
    if (!data.call) throw new Problem();
    return ledgerView(data.call.ledger);
  }, "grants.ledger.failed");
  return h("section", { "aria-labelledby": "call-ledger", class: "grants-ledger-section" },
    h("h2", { id: "call-ledger", msg: "grants.ledger.title" }),
    h("p", { msg: "grants.ledger.intro" }),
    region);
}
