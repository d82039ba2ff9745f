// `/hours/log?project=`: log hours, quick on a phone — the last project and activity are
// remembered on this device, the date is today, and the form is native controls only, so the
// keyboard alone fills and sends it (Enter submits). A lost answer is retried with the same
// idempotency key (./submit.ts): one entry, however often it is sent.
import { alertBox, h } from "../dom";
import { RequestFailed } from "../graphql";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { announce, failedAlert, field, fill, isRefusal, load, Problem, refusalAlert, select } from "../spaces/ui";
import { ACTIVITY_LABELS, hoursOf } from "./labels";
import {
  ACTIVITIES,
  MY_PROJECTS,
  PROJECT_CHOICE,
  type HourActivity,
  type LogHoursInput,
  type MyProjectsData,
  type ProjectChoice,
  type ProjectChoiceData,
} from "./queries";
import { Submission, type SendAnswer } from "./submit";

const LAST_CHOICE = "meent.hours.last";
const MINUTES_PER_DAY = 1440;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface LastChoice {
  projectId?: string;
  activity?: HourActivity;
}

function lastChoice(): LastChoice {
  try {
    const stored = JSON.parse(localStorage.getItem(LAST_CHOICE) ?? "{}") as LastChoice;
    return typeof stored === "object" && stored ? stored : {};
  } catch {
    return {}; // blocked storage or a value from elsewhere: start afresh
  }
}

function remember(choice: LastChoice): void {
  try {
    localStorage.setItem(LAST_CHOICE, JSON.stringify(choice));
  } catch {
    // Not remembered on this device; logging still works.
  }
}

/** Today on this device's calendar (the person's own day, as they would write it). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function numberInput(id: string, max: number, value: string) {
  return h("input", { id, name: id, type: "number", inputmode: "numeric", min: 0, max, step: 1, value, class: "input--short" });
}

interface Controls {
  project: HTMLSelectElement;
  hours: HTMLInputElement;
  minutes: HTMLInputElement;
  activity: HTMLSelectElement;
  date: HTMLInputElement;
  note: HTMLTextAreaElement;
}

/** The form's controls, preset: the project from the address or the last choice, the last
 * activity, today. */
function controls(projects: ProjectChoice[], wanted: string | null): Controls {
  const last = lastChoice();
  const preferred = [wanted, last.projectId].find((id) => id && projects.some((p) => p.id === id));
  const activity = last.activity && ACTIVITIES.includes(last.activity) ? last.activity : "GARDENING";
  return {
    project: h("select", { id: "hours-project", name: "project", required: true },
      ...projects.map((p) => h("option", { value: p.id, selected: p.id === preferred }, p.name))),
    hours: numberInput("hours-hours", 24, ""),
    minutes: numberInput("hours-minutes", 59, "0"),
    activity: select("hours-activity", ACTIVITIES.map((a) => [a, ACTIVITY_LABELS[a]]), activity),
    date: h("input", { id: "hours-date", name: "date", type: "date", required: true, value: today(), max: today() }),
    note: h("textarea", { id: "hours-note", name: "note", rows: 2, maxlength: 2000 }),
  };
}

/** What the form says, or null when the time spent is not 1 minute to 24 hours. */
function entryOf(c: Controls): LogHoursInput | null {
  const total = Number(c.hours.value || 0) * 60 + Number(c.minutes.value || 0);
  const whole = Number.isInteger(total) && total >= 1 && total <= MINUTES_PER_DAY;
  if (whole) c.hours.removeAttribute("aria-invalid");
  else c.hours.setAttribute("aria-invalid", "true");
  if (!whole) return null;
  return { projectId: c.project.value, activity: c.activity.value as HourActivity, workedOn: c.date.value, minutes: total, note: c.note.value.trim() };
}

/** The answer in the form's messages; true when the hours were logged. */
function showAnswer(messages: HTMLElement, answer: SendAnswer, projectName: string): boolean {
  if (answer.kind === "failed") {
    // Lost on the way: pressing again is safe (same key), and the page says so.
    const lost = answer.failure instanceof RequestFailed && answer.failure.status === null;
    messages.replaceChildren(lost ? alertBox("hours.notSent") : failedAlert(answer.failure, "hours.notSent"));
  }
  else if (answer.kind === "errors") {
    console.warn(answer.errors);
    messages.replaceChildren(alertBox("spaces.actionFailed"));
  } else if (isRefusal(answer.data.logHours)) messages.replaceChildren(refusalAlert(answer.data.logHours));
  else {
    const count = hoursOf(answer.data.logHours.minutes);
    messages.replaceChildren(
      announce("hours.logged", { count, project: projectName }),
      h("p", {}, h("a", { href: "/hours/mine", msg: "hours.mineLink" })),
    );
    return true;
  }
  return false;
}

function logForm(projects: ProjectChoice[], wanted: string | null): HTMLElement {
  const c = controls(projects, wanted);
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "button", msg: "hours.submit" });
  const submission = new Submission();
  let busy = false;
  const submit = async (event: Event) => {
    event.preventDefault();
    const entry = entryOf(c);
    if (busy) return;
    if (!entry) {
      messages.replaceChildren(alertBox("hours.badDuration"));
      c.hours.focus();
      return;
    }
    busy = true;
    button.setAttribute("aria-disabled", "true");
    messages.replaceChildren(h("p", { role: "status", msg: "hours.sending" }));
    const answer = await submission.send(entry);
    busy = false;
    button.removeAttribute("aria-disabled");
    if (!showAnswer(messages, answer, projects.find((p) => p.id === entry.projectId)?.name ?? "")) return;
    remember({ projectId: entry.projectId, activity: entry.activity });
    [c.hours.value, c.minutes.value, c.note.value] = ["", "0", ""];
  };
  return h("form", { class: "form", onsubmit: (e: Event) => void submit(e), novalidate: true },
    messages,
    field(c.project, "hours.project"),
    // What changes each time first; the date (today) after: Chromium tabs through its parts.
    h("fieldset", { class: "fieldset" },
      h("legend", { msg: "hours.duration" }),
      h("div", { class: "duration" }, field(c.hours, "hours.hours"), field(c.minutes, "hours.minutes"))),
    field(c.activity, "hours.activity"),
    field(c.date, "hours.date"),
    field(c.note, "hours.note", "hours.noteHelp"),
    button);
}

/** The projects the viewer is a current member of: the first 50 of theirs, plus the one the address
 * names and the last one chosen here when they are further down the list. */
async function mine(data: MyProjectsData, wanted: string | null): Promise<ProjectChoice[]> {
  const me = data.me?.person?.id ?? data.me?.sub;
  const choices = [...data.projects.nodes];
  const missing = [wanted, lastChoice().projectId].filter(
    (id, i, ids): id is string => !!id && UUID.test(id) && ids.indexOf(id) === i && !choices.some((p) => p.id === id),
  );
  for (const id of missing) {
    const found = await load<ProjectChoiceData>(PROJECT_CHOICE, { id });
    if (found.project) choices.push(found.project);
  }
  return choices.filter((p) => p.members.some((m) => m.person.id === me));
}

export function logHoursPage({ query }: RouteMatch): Page {
  return {
    title: "hours.logTitle",
    render(main) {
      const body = h("div", {});
      main.append(h("h1", { tabindex: "-1", msg: "hours.logTitle" }), body);
      void fill(body, async () => {
        if (!token()) throw new Problem(h("p", {}, h("a", { href: "/sign-in", msg: "hours.signIn" })));
        const data = await load<MyProjectsData>(MY_PROJECTS);
        if (!data.me) throw new Problem(alertBox("spaces.signInFirst"));
        const projects = await mine(data, query.get("project"));
        if (!projects.length) return [h("p", { msg: "hours.noProjects" }), h("p", {}, h("a", { href: "/projects", msg: "hours.findProject" }))];
        return [h("p", { msg: "hours.logIntro" }), logForm(projects, query.get("project"))];
      });
    },
  };
}
