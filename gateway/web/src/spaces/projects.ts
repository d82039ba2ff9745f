// `/projects?status=&q=`: every citizen project, filtered by status and words in the name or
// summary (the filters live in the address, so a filtered list can be shared and goes back);
// signed-in people start one.
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import { navigate, type Page, type RouteMatch } from "../router";
import { token } from "../session";
import {
  CREATE_PROJECT,
  PROJECTS,
  type CreateProjectData,
  type ProjectsData,
  type ProjectStatus,
  type ProjectSummary,
} from "./queries";
import { projectPath, STATUS_LABELS } from "./labels";
import { field, fill, load, mutate, select } from "./ui";

const PAGE_SIZE = 50;

function item(project: ProjectSummary): HTMLElement {
  return h(
    "li",
    { class: "card" },
    h("h2", {}, h("a", { href: projectPath(project.slug) }, project.name)),
    h("p", { class: "card__meta", msg: STATUS_LABELS[project.status] }),
    project.summary ? h("p", {}, project.summary) : null,
  );
}

function createForm(): HTMLElement {
  const name = h("input", { id: "new-project-name", name: "name", type: "text", required: true });
  const summary = h("textarea", { id: "new-project-summary", name: "summary", rows: 3 });
  const messages = h("div", { class: "form-messages" });
  const submit = async (event: Event) => {
    event.preventDefault();
    const created = await mutate<CreateProjectData["createProject"]>(
      messages,
      CREATE_PROJECT,
      { input: { name: name.value.trim(), summary: summary.value.trim() } },
      (data) => data.createProject,
    );
    if (created?.__typename === "Project") navigate(projectPath(created.slug));
  };
  return h(
    "section",
    { "aria-labelledby": "new-project" },
    h("h2", { id: "new-project", msg: "projects.start" }),
    h("p", { msg: "projects.startHelp" }),
    messages,
    h(
      "form",
      { class: "form", onsubmit: (e: Event) => void submit(e) },
      field(name, "projects.name"),
      field(summary, "projects.summary"),
      h("button", { type: "submit", class: "button", msg: "projects.create" }),
    ),
  );
}

const STATUSES = Object.keys(STATUS_LABELS) as ProjectStatus[];

/** The status and words of the address, as the filter form shows and the query sends them. */
function filters(query: URLSearchParams): { status: ProjectStatus | null; q: string } {
  const status = (query.get("status") ?? "").toUpperCase() as ProjectStatus;
  return { status: STATUSES.includes(status) ? status : null, q: (query.get("q") ?? "").trim() };
}

function filterForm(chosen: ReturnType<typeof filters>): HTMLElement {
  const options: [string, MessageKey][] = [
    ["", "projects.anyStatus"],
    ...STATUSES.map((s): [string, MessageKey] => [s.toLowerCase(), STATUS_LABELS[s]]),
  ];
  const status = select("projects-status", options, chosen.status?.toLowerCase() ?? "");
  const words = h("input", { id: "projects-q", name: "q", type: "search", value: chosen.q });
  const submit = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (status.value) params.set("status", status.value);
    if (words.value.trim()) params.set("q", words.value.trim());
    const text = params.toString();
    navigate(text ? `/projects?${text}` : "/projects");
  };
  return h(
    "form",
    { class: "form form--inline", role: "search", onsubmit: submit },
    field(status, "projects.status"),
    field(words, "projects.words"),
    h("button", { type: "submit", class: "button", msg: "projects.filter" }),
  );
}

export function projectsPage({ query }: RouteMatch): Page {
  return {
    title: "projects.title",
    render(main) {
      const chosen = filters(query);
      const results = h("div", { "aria-live": "polite" });
      main.append(
        h("h1", { tabindex: "-1", msg: "projects.title" }),
        h("p", { msg: "projects.intro" }),
        filterForm(chosen),
        results,
        token() ? createForm() : h("p", {}, h("a", { href: "/sign-in", msg: "projects.signInToStart" })),
      );
      void fill(results, async () => {
        const data = await load<ProjectsData>(PROJECTS, {
          status: chosen.status,
          q: chosen.q || null,
          first: PAGE_SIZE,
          after: null,
        });
        const { totalCount, nodes } = data.projects;
        return [
          h("p", { msg: "projects.count", vars: { count: totalCount } }),
          nodes.length ? h("ul", { class: "cards" }, ...nodes.map(item)) : h("p", { msg: "projects.empty" }),
        ];
      });
    },
  };
}
