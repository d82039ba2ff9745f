// The chosen site: what it is, its use on the chosen date, its uses over that date's year (a
// bar for the eye and a list in words), who stewards it, the maintenance due in the next weeks,
// and its calendar feed.
import { h } from "../dom";
import { failureAlert } from "../graphql";
import { intlLocale, tx } from "../i18n";
import { siteDetails, type SiteDetails, type Steward, type Task } from "./data";
import {
  addDays,
  firstOfYear,
  formatDate,
  formatRange,
  yearOf,
  type IsoDate,
} from "./dates";
import { timeline, useOn } from "./timeline";
import { swatch, useLabel, useText } from "./uses";

/** Maintenance listed: from the chosen date, this many days on. */
const TASK_DAYS = 28;

export interface SitePanel {
  element: HTMLElement;
  /** Shows site `id` on `date`; `name` (when known) titles the panel at once. */
  select(id: string, name: string | null, date: IsoDate, options?: { focus?: boolean }): void;
  /** The chosen date changed: reload the shown site for it. */
  setDate(date: IsoDate): void;
  /** Re-renders in the current language (dates are formatted, not catalogue text). */
  retranslate(): void;
  clear(): void;
  /** Cancels what is loading. */
  stop(): void;
}

export function taskFlags(task: Task): HTMLElement[] {
  const flags: HTMLElement[] = [];
  if (task.done) flags.push(h("span", { class: "flag flag--done", msg: "task.done" }));
  else if (task.overdue) flags.push(h("span", { class: "flag flag--bad", msg: "task.overdue" }));
  if (task.heavy) flags.push(h("span", { class: "flag", msg: "task.heavy" }));
  if (task.clashesWithUse) {
    const clash = h("span", { class: "flag flag--bad" });
    clash.append(h("span", { msg: "task.clash" }), " ", useLabel(task.clashesWithUse));
    flags.push(clash);
  }
  return flags;
}

function steward(s: Steward): HTMLElement {
  const project = s.projectName ?? null;
  const name = project ? h("span", {}, project) : h("span", { msg: "map.stewardUnnamed" });
  const when = s.endsOn
    ? h("span", {}, formatRange(s.startsOn, s.endsOn))
    : h("span", { msg: "map.stewardSince", vars: { date: formatDate(s.startsOn) } });
  return h("li", {}, name, ", ", when);
}

const byStart = (a: Steward, b: Steward) => a.startsOn.localeCompare(b.startsOn);

function task(t: Task): HTMLElement {
  return h(
    "li",
    {},
    h("strong", {}, t.title),
    ", ",
    h("span", { msg: "map.taskDue", vars: { date: formatDate(t.dueOn, "full") } }),
    ...taskFlags(t).flatMap((flag) => [", ", flag]),
  );
}

function details(site: SiteDetails, date: IsoDate): Node[] {
  const year = yearOf(date);
  const use = useOn(site.timeline, site.timezone, date);
  const area = new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 0 }).format(
    site.areaM2,
  );
  const tasksTo = addDays(date, TASK_DAYS - 1);
  const row = (msg: "map.kind" | "map.area" | "map.timeZone", value: Node | string) =>
    [h("dt", { msg }), h("dd", {}, value)] as const;
  return [
    h(
      "dl",
      { class: "facts" },
      h("dt", { msg: "map.useOn", vars: { date: formatDate(date) } }),
      h("dd", { class: "facts__use" }, swatch(use), " ", useText(h("strong"), use)),
      ...row("map.kind", site.kind),
      ...row("map.area", h("span", { msg: "map.areaValue", vars: { area } })),
      ...row("map.timeZone", site.timezone),
    ),
    h("h3", { msg: "map.timelineHeading", vars: { year } }),
    timeline(site.timeline, site.timezone, date),
    h("h3", { msg: "map.stewardsHeading" }),
    site.stewards.length
      ? h("ul", {}, ...[...site.stewards].sort(byStart).map(steward))
      : h("p", { msg: "map.stewardsEmpty" }),
    h("h3", { msg: "map.tasksHeading", vars: { range: formatRange(date, tasksTo) } }),
    site.tasks.length
      ? h("ul", { class: "tasks" }, ...site.tasks.map(task))
      : h("p", { msg: "map.tasksEmpty" }),
    h("p", {}, h("a", { href: site.calendarUrl, type: "text/calendar", msg: "map.calendarLink" })),
  ];
}

export function sitePanel(onLoaded: (site: SiteDetails) => void): SitePanel {
  const heading = h("h2", { id: "site-panel-heading", tabindex: "-1" });
  const body = h("div", { class: "site-panel__body" });
  const element = h(
    "section",
    { class: "site-panel", "aria-labelledby": heading.id },
    heading,
    body,
  );
  let selected: string | null = null;
  let shown: { site: SiteDetails; date: IsoDate } | null = null;
  let request: AbortController | null = null;

  const title = (name: string) => {
    delete heading.dataset.i18n;
    heading.textContent = name;
  };

  const empty = () => {
    tx(heading, "map.panelHeading");
    body.replaceChildren(h("p", { msg: "map.panelEmpty" }));
  };

  const render = () => {
    if (!shown) return;
    title(shown.site.name);
    body.replaceChildren(...details(shown.site, shown.date));
  };

  const load = async (id: string, date: IsoDate) => {
    request?.abort();
    const controller = (request = new AbortController());
    const year = yearOf(date);
    // While a date change reloads the site, its old details stay (marked busy).
    element.setAttribute("aria-busy", "true");
    if (shown?.site.id !== id) body.replaceChildren(h("p", { msg: "map.panelLoading" }));
    try {
      const range = {
        from: firstOfYear(year),
        to: firstOfYear(year + 1),
        tasksFrom: date,
        tasksTo: addDays(date, TASK_DAYS - 1),
      };
      const { site, errors } = await siteDetails(id, range, controller.signal);
      if (!site) {
        shown = null;
        body.replaceChildren(h("p", { msg: "map.panelMissing" }));
        return;
      }
      shown = { site, date };
      render();
      if (errors.length) body.prepend(failureAlert(null, errors));
      onLoaded(site);
    } catch (failure) {
      if (controller.signal.aborted) return;
      body.replaceChildren(failureAlert(failure));
    } finally {
      if (request === controller) {
        request = null;
        element.removeAttribute("aria-busy");
      }
    }
  };

  empty();
  return {
    element,
    select(id, name, date, { focus = false } = {}) {
      selected = id;
      if (name) title(name);
      else if (shown?.site.id !== id) tx(heading, "map.panelHeading");
      if (focus) heading.focus();
      void load(id, date);
    },
    setDate(date) {
      if (selected) void load(selected, date);
    },
    retranslate: render,
    clear() {
      request?.abort();
      selected = null;
      shown = null;
      empty();
    },
    stop() {
      request?.abort();
    },
  };
}
