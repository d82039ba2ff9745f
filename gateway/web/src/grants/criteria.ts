// The call editor's criteria: rows of a name and a weight, added and removed by button. The
// focus goes to the new row's name, or after a removal to the row that took its place (else
// the add button); each row's controls are named by its number for screen readers.
import { h } from "../dom";
import type { FieldErrors } from "./answers";
import type { Criterion } from "./queries";

interface Row {
  name: HTMLInputElement;
  weight: HTMLInputElement;
}

let made = 0;

export interface CriteriaRows {
  element: HTMLElement;
  values(): { name: string; weight: number }[];
  /** The first row's name (where a "criteria" error sends the focus). */
  first(): HTMLInputElement | null;
}

export function criteriaRows(errors: FieldErrors, initial: Criterion[]): CriteriaRows {
  const rows: Row[] = [];
  const list = h("ol", { class: "grants-rows" });
  const add = h("button", { type: "button", class: "button button--secondary", msg: "grants.addCriterion" });

  const newRow = (criterion: Criterion): Row => {
    const n = ++made;
    return {
      name: h("input", { id: `criterion-name-${n}`, name: "criterion", type: "text", maxlength: 100, value: criterion.name }),
      weight: h("input", { id: `criterion-weight-${n}`, name: "weight", type: "number", min: 1, max: 100, step: 1, value: String(criterion.weight), class: "input--short" }),
    };
  };

  const render = () => {
    for (let i = 0; i < 50; i++) {
      errors.forget(`criteria.${i}.name`);
      errors.forget(`criteria.${i}.weight`);
    }
    list.replaceChildren(...rows.map((row, i) => {
      const vars = { n: i + 1 };
      const remove = h("button", {
        type: "button",
        class: "button button--secondary",
        msg: "grants.removeCriterion",
        vars,
        onclick: () => {
          rows.splice(i, 1);
          render();
          (rows[i]?.name ?? rows[i - 1]?.name ?? add).focus();
        },
      });
      return h("li", { class: "grants-row" },
        errors.field(`criteria.${i}.name`, row.name, h("span", { msg: "grants.criterionName", vars })),
        errors.field(`criteria.${i}.weight`, row.weight, h("span", { msg: "grants.criterionWeight", vars })),
        rows.length > 1 ? remove : null);
    }));
  };

  add.addEventListener("click", () => {
    rows.push(newRow({ name: "", weight: 1 }));
    render();
    rows[rows.length - 1].name.focus();
  });
  rows.push(...(initial.length ? initial : [{ name: "", weight: 1 }]).map(newRow));
  render();
  return {
    element: h("fieldset", { class: "fieldset" }, h("legend", { msg: "grants.criteria" }),
      h("p", { class: "field-help", msg: "grants.criteriaHelp" }), list, add),
    values: () => rows.map((r) => ({ name: r.name.value.trim(), weight: Number(r.weight.value || 0) })),
    first: () => rows[0]?.name ?? null,
  };
}
