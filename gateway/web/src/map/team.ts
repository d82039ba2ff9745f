// A maintenance team's "due this week": choose a team, see its tasks in the ISO week of the
// chosen date as a list, and its sites outlined on the map.
import { h } from "../dom";
import { failureAlert } from "../graphql";
import { tx } from "../i18n";
import { dueInWeek, teams, type Task, type Team } from "./data";
import { formatDate, formatRange, isoWeek, type IsoDate } from "./dates";
import { taskFlags } from "./site-panel";

export interface TeamDue {
  element: HTMLElement;
  setDate(date: IsoDate): void;
  retranslate(): void;
  stop(): void;
}

interface Options {
  teamId: string | null;
  date: IsoDate;
  /** The sites with tasks due (empty: no team chosen). */
  onDue(siteIds: Set<string>): void;
  onTeam(teamId: string | null): void;
  onChooseSite(id: string, name: string): void;
}

export function teamDue(options: Options): TeamDue {
  let teamId = options.teamId;
  let date = options.date;
  let known: Team[] | null = null; // null: not loaded yet
  let tasks: Required<Task>[] | null = null;
  let failure: HTMLElement | null = null;
  let request: AbortController | null = null;

  const select = h("select", { id: "map-team", name: "team" });
  const week = h("p", { class: "map-team__week" });
  const result = h("div", { class: "map-team__result", "aria-live": "polite" });

  const taskItem = (task: Required<Task>) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          "data-site-id": task.siteId,
          onclick: () => options.onChooseSite(task.siteId, task.siteName),
        },
        task.siteName,
      ),
      ": ",
      h("strong", {}, task.title),
      ", ",
      h("span", { msg: "map.taskDue", vars: { date: formatDate(task.dueOn, "full") } }),
      ...taskFlags(task).flatMap((flag) => [", ", flag]),
    );

  const render = () => {
    const w = isoWeek(date);
    tx(week, "map.teamWeek", { week: w.week, year: w.year, range: formatRange(w.first, w.last) });
    week.hidden = !teamId;
    const team = known?.find((t) => t.id === teamId);
    if (failure) return result.replaceChildren(failure);
    if (known && !known.length) return result.replaceChildren(h("p", { msg: "map.teamNoTeams" }));
    if (!teamId || !team) return result.replaceChildren(h("p", { msg: "map.teamChoose" }));
    result.replaceChildren(
      tasks === null
        ? h("p", { msg: "map.teamLoading" })
        : tasks.length
          ? h("ul", { class: "tasks" }, ...tasks.map(taskItem))
          : h("p", { msg: "map.teamEmpty" }),
      h(
        "p",
        {},
        h("a", { href: team.calendarUrl, type: "text/calendar", msg: "map.teamCalendar" }),
      ),
    );
  };

  const load = async () => {
    request?.abort();
    failure = null;
    tasks = null;
    options.onDue(new Set());
    if (!teamId) return render();
    const controller = (request = new AbortController());
    render();
    try {
      tasks = await dueInWeek(teamId, isoWeek(date).name, controller.signal);
      tasks.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.siteName.localeCompare(b.siteName));
      options.onDue(new Set(tasks.map((t) => t.siteId)));
    } catch (error) {
      if (controller.signal.aborted) return;
      failure = failureAlert(error);
    }
    render();
  };

  const fillTeams = async () => {
    try {
      known = await teams();
    } catch (error) {
      failure = failureAlert(error);
      return render();
    }
    const none = h("option", { value: "", msg: "map.teamNone" });
    select.replaceChildren(none, ...known.map((t) => new Option(t.name, t.id)));
    if (teamId && !known.some((t) => t.id === teamId)) {
      teamId = null;
      options.onTeam(null);
    }
    select.value = teamId ?? "";
    void load();
  };

  select.addEventListener("change", () => {
    teamId = select.value || null;
    options.onTeam(teamId);
    void load();
  });

  const element = h(
    "section",
    { class: "map-team", "aria-labelledby": "map-team-heading" },
    h("h2", { id: "map-team-heading", msg: "map.teamHeading" }),
    h("div", { class: "field" }, h("label", { for: "map-team", msg: "map.teamLabel" }), select),
    week,
    result,
  );
  select.append(h("option", { value: "", msg: "map.teamNone" }));
  render();
  void fillTeams();
  return {
    element,
    setDate(next) {
      const changed = isoWeek(next).name !== isoWeek(date).name;
      date = next;
      if (changed) void load();
      else render();
    },
    retranslate: render,
    stop() {
      request?.abort();
    },
  };
}
