// `/projects/:slug/hours`: a project's approved volunteer hours, public — the net total, its
// in-kind value at the city's hourly rate, and the hours by month as a chart with a table.
import { alertBox, h } from "../dom";
import { tx } from "../i18n";
import type { Page, RouteMatch } from "../router";
import { projectKey, projectPath } from "../spaces/labels";
import { fill, load, Problem } from "../spaces/ui";
import { hoursByMonth } from "./chart";
import { duration, money } from "./labels";
import { HOURS_BY_MONTH, PROJECT_HOURS, type HoursByMonthData, type HoursTotal, type ProjectHoursData } from "./queries";

function totals(total: HoursTotal): HTMLElement {
  return h("section", { "aria-labelledby": "hours-total" },
    h("h2", { id: "hours-total", msg: "hours.totalTitle" }),
    h("dl", { class: "facts hours-total" },
      h("dt", { msg: "hours.totalHours" }), h("dd", { class: "hours-total__hours" }, duration(total.minutes)),
      h("dt", { msg: "hours.totalEntries" }), h("dd", {}, String(total.entries)),
      h("dt", { msg: "hours.inKind" }), h("dd", { class: "hours-total__value" }, money(total.value, total.currency))),
  );
}

function byMonth(projectId: string): HTMLElement {
  const region = h("div", {});
  const rate = h("p", { class: "field-help" });
  void fill(region, async () => {
    const data = await load<HoursByMonthData>(HOURS_BY_MONTH, { projectId });
    if (!data.hoursSummary) throw new Problem();
    const summary = data.hoursSummary;
    rate.replaceChildren(h("span", { msg: "hours.rateLabel" }), " ", money(summary.hourlyRate, summary.currency));
    return [hoursByMonth(summary)];
  }, "hours.byMonthFailed");
  return h("section", { "aria-labelledby": "hours-by-month" },
    h("h2", { id: "hours-by-month", msg: "hours.byMonthTitle" }), rate, region);
}

export function projectHoursPage({ params, setTitle }: RouteMatch): Page {
  return {
    title: "hours.projectTitle",
    render(main) {
      const heading = h("h1", { tabindex: "-1", msg: "hours.projectTitle" });
      const body = h("div", {});
      main.append(heading, body);
      void fill(body, async () => {
        const key = projectKey(params.slug);
        if (!key) throw new Problem(alertBox("project.missing"));
        const data = await load<ProjectHoursData>(PROJECT_HOURS, key);
        const project = data.project;
        if (!project) throw new Problem(alertBox("project.missing"));
        tx(heading, "hours.projectHeading", { name: project.name });
        setTitle(heading.textContent ?? project.name);
        return [
          h("p", { class: "breadcrumb" }, h("a", { href: projectPath(project.slug), msg: "hours.backToProject" })),
          h("p", { class: "lead", msg: "hours.projectIntro" }),
          totals(project.hoursTotal),
          byMonth(project.id),
        ];
      });
    },
  };
}
