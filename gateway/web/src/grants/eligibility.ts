// Live eligibility on the application form: how the chosen project stands against the call's
// rules now (FundingCall.eligibility), asked again when the project changes and after a save.
// Each rule says met or not in words and a sign, not by colour alone.
import { h } from "../dom";
import { failedAlert, load } from "../spaces/ui";
import { ruleName } from "./answers";
import { ELIGIBILITY, type Eligibility, type EligibilityData } from "./queries";

export interface EligibilityView {
  element: HTMLElement;
  /** Asks for `projectId`'s standing; a later ask wins over an earlier one still travelling. */
  check(projectId: string): Promise<void>;
}

function view(eligibility: Eligibility): Node[] {
  if (!eligibility.rules.length) return [h("p", { msg: "grants.noRules" })];
  return [
    h("p", { class: "grants-eligibility__verdict" },
      h("span", { "aria-hidden": "true" }, eligibility.eligible ? "✓ " : "✗ "),
      h("strong", { msg: eligibility.eligible ? "grants.eligibleYes" : "grants.eligibleNo" })),
    h("ul", { class: "grants-rules" }, ...eligibility.rules.map((rule) =>
      h("li", { class: rule.met ? "grants-rule grants-rule--met" : "grants-rule grants-rule--unmet", "data-rule": rule.rule },
        h("span", { "aria-hidden": "true" }, rule.met ? "✓ " : "✗ "),
        ruleName(rule.rule), ": ",
        h("strong", { msg: rule.met ? "grants.ruleMet" : "grants.ruleUnmet" }),
        " — ", rule.message))),
  ];
}

export function eligibilityView(callId: string): EligibilityView {
  const region = h("div", { class: "grants-eligibility__body" });
  let asked = 0;
  const check = async (projectId: string) => {
    const mine = ++asked;
    region.setAttribute("aria-busy", "true");
    let nodes: Node[];
    try {
      const data = await load<EligibilityData>(ELIGIBILITY, { id: callId, projectId });
      nodes = data.call ? view(data.call.eligibility) : [];
    } catch (failure) {
      nodes = [failedAlert(failure, "grants.eligibilityFailed")];
    }
    if (mine !== asked) return;
    region.replaceChildren(...nodes);
    region.removeAttribute("aria-busy");
  };
  const element = h("section", { class: "grants-eligibility", "aria-labelledby": "eligibility-heading", "aria-live": "polite" },
    h("h2", { id: "eligibility-heading", msg: "grants.eligibilityNow" }), region);
  return { element, check };
}
