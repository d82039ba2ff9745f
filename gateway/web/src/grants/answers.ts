// How the grants pages send a mutation and show its answer: grants' own refusals (NotEligible,
// CallClosed, BudgetExceeded, ConflictOfInterest) as typed results in the page's language with
// the server's words under them, and InvalidInput's field errors next to their fields.
import { alertBox, h } from "../dom";
import { graphql } from "../graphql";
import type { MessageKey } from "../i18n";
import { failedAlert, refusalAlert } from "../spaces/ui";
import type { Refusal } from "../spaces/queries";
import { RULE_LABELS } from "./labels";
import { amountIn } from "./money";
import type { GrantsRefusal } from "./queries";

const REFUSALS = new Set<string>([
  "InvalidInput",
  "NotAuthenticated",
  "NotAuthorized",
  "NotFound",
  "Conflict",
  "NotEligible",
  "CallClosed",
  "BudgetExceeded",
  "ConflictOfInterest",
]);

export function isGrantsRefusal(result: { __typename: string }): result is GrantsRefusal {
  return REFUSALS.has(result.__typename);
}

/** The alert for a refusal. `currency`: BudgetExceeded's remaining amount is shown in it. */
export function grantsRefusalAlert(refusal: GrantsRefusal, currency = "EUR"): HTMLElement {
  switch (refusal.__typename) {
    case "NotEligible": {
      const rules = (refusal.rules?.length ? refusal.rules : [refusal.rule ?? ""]).filter(Boolean);
      return alertBox("grants.notEligible", [
        h("ul", {}, ...rules.map((rule) => h("li", {}, ruleName(rule)))),
        h("p", {}, refusal.message),
      ]);
    }
    case "CallClosed":
      return alertBox("grants.callClosed", [refusal.message]);
    case "ConflictOfInterest":
      return alertBox("grants.conflictOfInterest", [refusal.message]);
    case "BudgetExceeded":
      return alertBox("grants.budgetExceeded", [
        h("p", {}, h("span", { msg: "grants.remainingIs" }), " ", amountIn(refusal.remaining ?? "0", currency)),
        h("p", {}, refusal.message),
      ]);
    default:
      return refusalAlert(refusal as Refusal);
  }
}

/** A rule's name in the page's language ("at least N members" is the server's message). */
export function ruleName(rule: string): HTMLElement {
  const key = RULE_LABELS[rule];
  return key ? h("span", { msg: key }) : h("span", {}, rule);
}

export type Answer<R> = { ok: R } | { refused: GrantsRefusal } | null;

/** Runs a mutation. The result, or its refusal (for the caller to place), or null once a
 * failure's alert is in `messages`. */
export async function send<R extends { __typename: string }>(
  messages: HTMLElement,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: Record<string, R>) => R,
): Promise<Answer<R>> {
  messages.replaceChildren();
  try {
    const { data, errors } = await graphql<Record<string, R>>(query, variables);
    if (errors.length || !data) {
      console.warn(errors);
      messages.append(alertBox("spaces.actionFailed"));
      return null;
    }
    const result = pick(data);
    return isGrantsRefusal(result) ? { refused: result } : { ok: result };
  } catch (failure) {
    messages.append(failedAlert(failure, "spaces.actionFailed"));
    return null;
  }
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** Controls by the names InvalidInput gives their fields ("title", "budgetLines.0.amount"),
 * so each error shows under its label and is tied to the control by aria-describedby. */
export class FieldErrors {
  private slots = new Map<string, { control: Control; error: HTMLElement }>();

  /** A control with its label, hint and (empty) error line; registered under `path`. */
  field(path: string, control: Control, label: MessageKey | Node, hint?: MessageKey | Node): HTMLElement {
    const error = h("p", { id: `${control.id}-error`, class: "field-error", hidden: true });
    const labelEl = label instanceof Node ? h("label", { for: control.id }, label) : h("label", { for: control.id, msg: label });
    const parts: Node[] = [labelEl];
    if (hint instanceof Node) parts.push(h("div", { id: `${control.id}-hint`, class: "field-help" }, hint));
    else if (hint) parts.push(h("p", { id: `${control.id}-hint`, class: "field-help", msg: hint }));
    control.dataset.hint = hint ? `${control.id}-hint` : "";
    describe(control, null);
    this.slots.set(path, { control, error });
    return h("div", { class: "field" }, ...parts, error, control);
  }

  forget(path: string): void {
    this.slots.delete(path);
  }

  clear(): void {
    for (const { control, error } of this.slots.values()) {
      error.hidden = true;
      error.replaceChildren();
      control.removeAttribute("aria-invalid");
      describe(control, null);
    }
  }

  /** Our own check's message under `path`'s control. */
  mark(path: string, msg: MessageKey): boolean {
    return this.put(path, h("span", { msg }));
  }

  /** The server's errors placed under their fields, and for the form's alert a link to each
   * of them; the errors of no field here (and of "input", the whole form) as text. The first
   * placed control gets the focus. */
  show(fields: { field: string; message: string }[]): (string | Node)[] {
    const summary: (string | Node)[] = [];
    const links: Node[] = [];
    let first: Control | null = null;
    for (const { field, message } of fields) {
      const control = this.slots.get(field)?.control;
      if (!control || !this.put(field, document.createTextNode(message))) {
        summary.push(field === "input" ? message : `${field}: ${message}`);
        continue;
      }
      first ??= control;
      const label = document.querySelector(`label[for="${control.id}"]`)?.textContent ?? field;
      links.push(h("li", {}, h("a", { href: `#${control.id}`, onclick: focusOn(control) }, `${label}: ${message}`)));
    }
    first?.focus();
    return links.length ? [...summary, h("ul", {}, ...links)] : summary;
  }

  private put(path: string, text: Node): boolean {
    const slot = this.slots.get(path);
    if (!slot) return false;
    if (!slot.error.hidden) slot.error.append(" ");
    slot.error.append(text);
    slot.error.hidden = false;
    slot.control.setAttribute("aria-invalid", "true");
    describe(slot.control, slot.error.id);
    return true;
  }
}

/** A link's click handler that focuses `control` without touching the address. */
function focusOn(control: Control): EventListener {
  return (event) => {
    event.preventDefault();
    control.focus();
  };
}

/** aria-describedby: the hint, and the error line when there is one. */
function describe(control: Control, errorId: string | null): void {
  const ids = [control.dataset.hint, errorId].filter(Boolean).join(" ");
  if (ids) control.setAttribute("aria-describedby", ids);
  else control.removeAttribute("aria-describedby");
}

/** The alert for an InvalidInput whose fields are placed by `errors`; other refusals whole. */
export function placeRefusal(refusal: GrantsRefusal, errors: FieldErrors, currency?: string): HTMLElement {
  if (refusal.__typename !== "InvalidInput") return grantsRefusalAlert(refusal, currency);
  const details = errors.show(refusal.fields ?? []);
  return alertBox("grants.fixFields", details.length ? details : [refusal.message]);
}
