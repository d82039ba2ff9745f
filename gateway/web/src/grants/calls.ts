// `/calls`: the funding calls open now, each with its budget, what is left of it and its closing
// day; then the closed and decided ones (their rankings and ledgers stay public). Grant
// officers also see the drafts and a link to draft a new call; a signed-in citizen may join the
// reviewer pool (./pool.ts).
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import type { Page } from "../router";
import { fill, load, time } from "../spaces/ui";
import { CALL_STATUS_LABELS, callPath } from "./labels";
import { amount } from "./money";
import { poolSection } from "./pool";
import { CALLS, isOfficer, type CallCard, type CallsData } from "./queries";

/** One call as a card: its title (a link to it), status, budget, remaining and dates. */
export function callCard(call: CallCard): HTMLElement {
  return h("li", { class: "card grants-call" },
    h("h3", {}, h("a", { href: callPath(call.id) }, call.title)),
    h("p", { class: "card__meta" }, h("span", { msg: "grants.statusLabel" }), " ", h("strong", { msg: CALL_STATUS_LABELS[call.status] })),
    h("dl", { class: "facts" },
      h("dt", { msg: "grants.budget" }), h("dd", {}, amount(call.budget)),
      h("dt", { msg: "grants.remaining" }), h("dd", {}, amount(call.remaining)),
      h("dt", { msg: "grants.opensOn" }), h("dd", {}, time(call.opensOn, "date")),
      h("dt", { msg: "grants.closesOn" }), h("dd", {}, time(call.closesOn, "date"))));
}

function section(id: string, heading: MessageKey, calls: CallCard[], none: MessageKey | null): HTMLElement | null {
  if (!calls.length && !none) return null;
  return h("section", { "aria-labelledby": id },
    h("h2", { id, msg: heading }),
    calls.length ? h("ul", { class: "cards" }, ...calls.map(callCard)) : h("p", { msg: none! }));
}

export function callsPage(): Page {
  return {
    title: "grants.callsTitle",
    render(main) {
      const body = h("div", {});
      main.append(h("h1", { tabindex: "-1", msg: "grants.callsTitle" }), h("p", { class: "lead", msg: "grants.callsIntro" }), body);
      void fill(body, async () => {
        const data = await load<CallsData>(CALLS);
        const officer = isOfficer(data.me);
        const past = [...data.closed.nodes, ...data.decided.nodes].sort((a, b) => b.closesOn.localeCompare(a.closesOn));
        return [
          officer ? h("p", { class: "actions" }, h("a", { href: "/calls/new", class: "button", msg: "grants.newCall" })) : null,
          section("calls-open", "grants.openCalls", data.open.nodes, "grants.noOpenCalls"),
          officer ? section("calls-drafts", "grants.draftCalls", data.drafts.nodes, "grants.noDrafts") : null,
          section("calls-past", "grants.pastCalls", past, null),
          poolSection(data.myPoolEntry),
        ].filter((n): n is HTMLElement => n !== null);
      });
    },
  };
}
