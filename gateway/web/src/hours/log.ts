// `/hours/log?project=`: log hours, quick on a phone — the last project and activity are
// remembered on this device, the date is today, and the form is native controls only, so the
// keyboard alone fills and sends it (Enter submits). A lost answer is retried with the same
// idempotency key (./submit.ts): one entry, however often it is sent.
import { alertBox, h } from "../dom";
import type { Page, RouteMatch } from "../router";
import { token } from "../session";
import { announce, failedAlert, field, fill, isRefusal, load, Problem, refusalAlert, select } from "../spaces/ui";
import { ACTIVITY_LABELS, hoursOf } from "./labels";
import { ACTIVITIES, MY_PROJECTS, type HourActivity, type LogHoursInput, type MyProjectsData, type ProjectChoice } from "./queries";
import { Submission } from "./submit";

const LAST_CHOICE = "meent.hours.last";
const MINUTES_PER_DAY = 1440;

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

function logForm(projects: ProjectChoice[], wanted: string | null): HTMLElement {
  const last = lastChoice();
  const preferred = [wanted, last.projectId].find((id) => id && projects.some((p) => p.id === id));
  const project = h("select", { id: "hours-project", name: "project", required: true },
    ...projects.map((p) => h("option", { value: p.id, selected: p.id === preferred }, p.name)));
  const date = h("input", { id: "hours-date", name: "date", type: "date", required: true, value: today(), max: today() });
  const hours = numberInput("hours-hours", 24, "");
  const minutes = numberInput("hours-minutes", 59, "0");
  const activityValue = last.activity && ACTIVITIES.includes(last.activity) ? last.activity : "GARDENING";
  const activity = select("hours-activity", ACTIVITIES.map((a) => [a, ACTIVITY_LABELS[a]]), activityValue);
  const note = h("textarea", { id: "hours-note", name: "note", rows: 2, maxlength: 2000 });
  const messages = h("div", { class: "form-messages", "aria-live": "polite" });
  const submission = new Submission();
  let busy = false;

  const input = (): LogHoursInput | null => {
    const total = Number(hours.value || 0) * 60 + Number(minutes.value || 0);
    const whole = Number.isInteger(total) && total >= 1 && total <= MINUTES_PER_DAY;
    if (whole) hours.removeAttribute("aria-invalid");
    else hours.setAttribute("aria-invalid", "true");
    if (!whole) return null;
    return { projectId: project.value, activity: activity.value as HourActivity, workedOn: date.value, minutes: total, note: note.value.trim() };
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const entry = input();
    if (!entry) {
      messages.replaceChildren(alertBox("hours.badDuration"));
      hours.focus();
      return;
    }
    busy = true;
    button.setAttribute("aria-disabled", "true");
    messages.replaceChildren(h("p", { role: "status", msg: "hours.sending" }));
    const answer = await submission.send(entry);
    busy = false;
    button.removeAttribute("aria-disabled");
    if (answer.kind === "failed") return void messages.replaceChildren(failedAlert(answer.failure, "hours.notSent"));
    if (answer.kind === "errors") {
      console.warn(answer.errors);
      return void messages.replaceChildren(alertBox("spaces.actionFailed"));
    }
    const result = answer.data.logHours;
    if (isRefusal(result)) return void messages.replaceChildren(refusalAlert(result));
    remember({ projectId: entry.projectId, activity: entry.activity });
    const name = projects.find((p) => p.id === entry.projectId)?.name ?? "";
    messages.replaceChildren(
      announce("hours.logged", { count: hoursOf(result.minutes), project: name }),
      h("p", {}, h("a", { href: "/hours/mine", msg: "hours.mineLink" })),
    );
    hours.value = "";
    minutes.value = "0";
    note.value = "";
  };
  const button = h("button", { type: "submit", class: "button", msg: "hours.submit" });
  return h("form", { class: "form", onsubmit: (e: Event) => void submit(e), novalidate: true },
    messages,
    field(project, "hours.project"),
    // What changes each time first; the date (today) after: Chromium tabs through its parts.
    h("fieldset", { class: "fieldset" },
      h("legend", { msg: "hours.duration" }),
      h("div", { class: "duration" }, field(hours, "hours.hours"), field(minutes, "hours.minutes"))),
    field(activity, "hours.activity"),
    field(date, "hours.date"),
    field(note, "hours.note", "hours.noteHelp"),
    button);
}

/** The projects the viewer is a current member of. */
function mine(data: MyProjectsData): ProjectChoice[] {
  const me = data.me?.person?.id ?? data.me?.sub;
  return data.projects.nodes.filter((p) => p.members.some((m) => m.person.id === me));
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
        const projects = mine(data);
        if (!projects.length) return [h("p", { msg: "hours.noProjects" }), h("p", {}, h("a", { href: "/projects", msg: "hours.findProject" }))];
        return [h("p", { msg: "hours.logIntro" }), logForm(projects, query.get("project"))];
      });
    },
  };
}
