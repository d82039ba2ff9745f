// `/projects`: every citizen project, filtered by status and name; signed-in people start one.
import { h } from "../dom";
import { navigate, type Page } from "../router";
import { token } from "../session";
import {
  CREATE_PROJECT,
  PROJECTS,
  type CreateProjectData,
  type ProjectsData,
  type ProjectSummary,
} from "./queries";
import { projectPath, STATUS_LABELS } from "./labels";
import { field, fill, load, mutate } from "./ui";

const PAGE_SIZE = 50;

function item(project: ProjectSummary): HTMLElement {
  return h(
    "li",
    { class: "card" },
    h("h2", {}, h("a", { href: projectPath(project.id) }, project.name)),
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
    if (created?.__typename === "Project") navigate(projectPath(created.id));
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

export function projectsPage(): Page {
  return {
    title: "projects.title",
    render(main) {
      const results = h("div", { "aria-live": "polite" });
      main.append(
        h("h1", { tabindex: "-1", msg: "projects.title" }),
        h("p", { msg: "projects.intro" }),
        results,
        token() ? createForm() : h("p", {}, h("a", { href: "/sign-in", msg: "projects.signInToStart" })),
      );
      void fill(results, async () => {
        const data = await load<ProjectsData>(PROJECTS, { first: PAGE_SIZE, after: null });
        const { totalCount, nodes } = data.projects;
        return [
          h("p", { msg: "projects.count", vars: { count: totalCount } }),
          nodes.length ? h("ul", { class: "cards" }, ...nodes.map(item)) : h("p", { msg: "projects.empty" }),
        ];
      });
    },
  };
}
