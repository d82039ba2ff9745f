// `/`: the suite status, from the public GraphQL API.
import { h } from "../dom";
import { failureAlert, graphql } from "../graphql";
import type { Page } from "../router";

const SYSTEM = "query { system { version services { name ready version } } }";

interface Service {
  name: string;
  ready: boolean;
  version: string | null;
}
interface System {
  system: { version: string | null; services: Service[] } | null;
}

function statusCell(ready: boolean): HTMLElement {
  // The words carry the meaning; the colour and the mark only repeat it.
  return h(
    "span",
    { class: ready ? "status status--ready" : "status status--not-ready" },
    h("span", { "aria-hidden": "true" }, ready ? "✓ " : "✗ "),
    h("span", { msg: ready ? "home.ready" : "home.notReady" }),
  );
}

function table(services: Service[]): HTMLElement {
  if (!services.length) return h("p", { msg: "home.empty" });
  return h(
    "table",
    { class: "status-table" },
    h("caption", { msg: "home.caption" }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", msg: "home.colService" }),
        h("th", { scope: "col", msg: "home.colStatus" }),
        h("th", { scope: "col", msg: "home.colVersion" }),
      ),
    ),
    h(
      "tbody",
      {},
      ...services.map((s) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, s.name),
          h("td", {}, statusCell(s.ready)),
          s.version ? h("td", {}, s.version) : h("td", { msg: "home.unknown" }),
        ),
      ),
    ),
  );
}

export function home(): Page {
  return {
    title: "home.title",
    render(main) {
      const result = h("div", { class: "status-result", "aria-live": "polite" });
      const load = async () => {
        result.setAttribute("aria-busy", "true");
        result.replaceChildren(h("p", { msg: "home.loading" }));
        const view: Node[] = [];
        try {
          const { data, errors } = await graphql<System>(SYSTEM);
          const system = data?.system;
          // Partial data comes with errors: show both.
          if (errors.length || !system) view.push(failureAlert(null, errors));
          if (system?.version) {
            view.push(h("p", { msg: "home.version", vars: { version: system.version } }));
          }
          if (system) view.push(table(system.services));
        } catch (failure) {
          view.push(failureAlert(failure));
        }
        result.replaceChildren(...view);
        result.removeAttribute("aria-busy");
      };
      main.append(
        h("h1", { tabindex: "-1", msg: "home.title" }),
        h("p", { msg: "home.intro" }),
        result,
        h("button", {
          type: "button",
          class: "button button--secondary",
          msg: "home.refresh",
          onclick: () => void load(),
        }),
      );
      void load();
    },
  };
}
