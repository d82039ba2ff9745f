// `/projects`: every citizen project, filtered by status and name; signed-in people start one.
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import { navigate, type Page, type RouteMatch } from "../router";
import { token } from "../session";
import {
  CREATE_PROJECT,
  PROJECT_STATUSES,
  PROJECTS,
  type CreateProjectData,
  type ProjectsData,
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

function filters(query: URLSearchParams): HTMLFormElement {
  const q = h("input", { id: "projects-q", name: "q", type: "search", value: query.get("q") ?? "" });
  const status = select(
    "projects-status",
    [["", "projects.anyStatus"], ...PROJECT_STATUSES.map((s) => [s, STATUS_LABELS[s]] as [string, MessageKey])],
    query.get("status") ?? "",
  );
  return h(
    "form",
    {
      class: "form form--inline",
      role: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const params = new URLSearchParams();
        if (q.value.trim()) params.set("q", q.value.trim());
        if (status.value) params.set("status", status.value);
        navigate(`/projects${params.size ? `?${params}` : ""}`);
      },
    },
    field(q, "projects.q"),
    field(status, "projects.status"),
    h("button", { type: "submit", class: "button", msg: "projects.filter" }),
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

export function projectsPage({ query }: RouteMatch): Page {
  return {
    title: "projects.title",
    render(main) {
      const results = h("div", { "aria-live": "polite" });
      main.append(
        h("h1", { tabindex: "-1", msg: "projects.title" }),
        h("p", { msg: "projects.intro" }),
        filters(query),
        results,
        token() ? createForm() : h("p", {}, h("a", { href: "/sign-in", msg: "projects.signInToStart" })),
      );
      void fill(results, async () => {
        const data = await load<ProjectsData>(PROJECTS, {
          q: query.get("q") || null,
          status: query.get("status") || null,
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
