// The sites in view as a list of buttons: the keyboard's and screen readers' way to the sites
// on the map (map shapes cannot take the focus), each naming the site's use in words.
import { h } from "../dom";
import { intlLocale } from "../i18n";
import type { SiteSummary } from "./data";
import type { Highlights } from "./site-shapes";
import { swatch, useLabel } from "./uses";

/** More sites than this in view are not listed: a list that long helps no one. */
export const LIST_LIMIT = 200;

export interface SiteList {
  element: HTMLElement;
  /** null: too many sites in view to list; undefined: not known yet. */
  show(sites: SiteSummary[] | null | undefined, highlights: Highlights): void;
}

export function siteList(onChoose: (site: SiteSummary) => void): SiteList {
  const body = h("div", { class: "site-list" });
  const element = h(
    "section",
    { class: "map-sites", "aria-labelledby": "map-sites-heading" },
    h("h2", { id: "map-sites-heading", tabindex: "-1", msg: "map.listHeading" }),
    body,
  );

  const item = (site: SiteSummary, highlights: Highlights) => {
    const selected = highlights.selected === site.id;
    const due = highlights.due.has(site.id);
    const button = h(
      "button",
      {
        type: "button",
        class: "site-list__item",
        "data-site-id": site.id,
        "aria-current": selected ? "true" : undefined,
        onclick: () => onChoose(site),
      },
      swatch(site.use, { selected, due }),
      h("span", { class: "site-list__name" }, site.name),
      h("span", { class: "visually-hidden" }, ", "),
      useLabel(site.use),
      due ? h("span", { class: "visually-hidden" }, ", ") : null,
      due ? h("span", { class: "badge", msg: "map.dueMark" }) : null,
    );
    return h("li", {}, button);
  };

  return {
    element,
    show(sites, highlights) {
      // Keep the keyboard focus on the same site across a refresh of the list.
      const focused = body.contains(document.activeElement)
        ? document.activeElement?.getAttribute("data-site-id")
        : null;
      if (sites === undefined) {
        body.replaceChildren(h("p", { msg: "map.loading" }));
      } else if (sites === null) {
        body.replaceChildren(h("p", { msg: "map.listTooMany" }));
      } else if (!sites.length) {
        body.replaceChildren(h("p", { msg: "map.listEmpty" }));
      } else {
        const collator = new Intl.Collator(intlLocale());
        const sorted = [...sites].sort((a, b) => collator.compare(a.name, b.name));
        body.replaceChildren(h("ul", {}, ...sorted.map((site) => item(site, highlights))));
      }
      if (focused) {
        // The site left the view: the focus goes to the list's heading, not to the page's end.
        const again = body.querySelector<HTMLElement>(`[data-site-id="${focused}"]`);
        (again ?? element.querySelector<HTMLElement>("h2"))!.focus();
      }
    },
  };
}
