// An application's budget lines: rows of a label and an amount, added and removed by button, and
// a live check that they add up to the request — in exact cents, never floats. The check only
// informs: the server has the last word (its InvalidInput shows beside the fields).
import { h } from "../dom";
import type { FieldErrors } from "./answers";
import { amountIn, fromCents, toCents } from "./money";

interface Row {
  label: HTMLInputElement;
  amount: HTMLInputElement;
}

let made = 0;

export interface BudgetLines {
  element: HTMLElement;
  /** The lines as typed (amounts as typed too). */
  values(): { label: string; amount: string }[];
  set(lines: { label: string; amount: string }[]): void;
  /** Checks the sum against `requested` again (after the request changed). */
  check(): void;
}

/** `requested`: the request's control, whose value the lines must add up to. */
export function budgetLines(errors: FieldErrors, requested: HTMLInputElement, currency: string): BudgetLines {
  const rows: Row[] = [];
  const list = h("ol", { class: "grants-rows" });
  const sum = h("p", { class: "grants-sum", "aria-live": "polite", id: "budget-sum" });
  const add = h("button", { type: "button", class: "button button--secondary", msg: "grants.addLine" });

  const check = () => {
    const request = toCents(requested.value);
    const amounts = rows.map((r) => toCents(r.amount.value));
    if (request === null || amounts.some((a) => a === null)) {
      sum.replaceChildren(h("span", { msg: "grants.sumUnknown" }));
      return;
    }
    const total = amounts.reduce<bigint>((s, a) => s + (a ?? 0n), 0n);
    const money = (cents: bigint) => amountIn(fromCents(cents), currency);
    const state = total === request
      ? h("strong", { class: "grants-sum__ok" }, h("span", { "aria-hidden": "true" }, "✓ "), h("span", { msg: "grants.sumMatches" }))
      : h("strong", { class: "grants-sum__off" }, h("span", { "aria-hidden": "true" }, "✗ "),
          h("span", { msg: total < request ? "grants.sumShort" : "grants.sumOver" }), " ", money(total < request ? request - total : total - request));
    sum.replaceChildren(h("span", { msg: "grants.sumOfLines" }), " ", money(total), " · ", state);
  };

  const newRow = (line: { label: string; amount: string }): Row => {
    const n = ++made;
    const row = {
      label: h("input", { id: `line-label-${n}`, name: "lineLabel", type: "text", maxlength: 200, value: line.label }),
      amount: h("input", { id: `line-amount-${n}`, name: "lineAmount", type: "text", inputmode: "decimal", autocomplete: "off", class: "input--short", value: line.amount }),
    };
    row.amount.addEventListener("input", check);
    return row;
  };

  const render = () => {
    for (let i = 0; i < 60; i++) {
      errors.forget(`budgetLines.${i}.label`);
      errors.forget(`budgetLines.${i}.amount`);
    }
    list.replaceChildren(...rows.map((row, i) => {
      const vars = { n: i + 1 };
      const remove = h("button", {
        type: "button",
        class: "button button--secondary",
        msg: "grants.removeLine",
        vars,
        onclick: () => {
          rows.splice(i, 1);
          render();
          (rows[i]?.label ?? rows[i - 1]?.label ?? add).focus();
        },
      });
      return h("li", { class: "grants-row" },
        errors.field(`budgetLines.${i}.label`, row.label, h("span", { msg: "grants.lineLabel", vars })),
        errors.field(`budgetLines.${i}.amount`, row.amount, h("span", { msg: "grants.lineAmount", vars })),
        rows.length > 1 ? remove : null);
    }));
    check();
  };

  add.addEventListener("click", () => {
    rows.push(newRow({ label: "", amount: "" }));
    render();
    rows[rows.length - 1].label.focus();
  });
  requested.addEventListener("input", check);
  const set = (lines: { label: string; amount: string }[]) => {
    rows.splice(0, rows.length, ...(lines.length ? lines : [{ label: "", amount: "" }]).map(newRow));
    render();
  };
  set([]);
  return {
    element: h("fieldset", { class: "fieldset", "aria-describedby": "budget-sum" }, h("legend", { msg: "grants.budgetLines" }),
      h("p", { class: "field-help", msg: "grants.budgetLinesHelp" }), list, add, sum),
    values: () => rows.map((r) => ({ label: r.label.value.trim(), amount: r.amount.value.trim() })),
    set,
    check,
  };
}
