// Small pieces the spaces pages share: labelled fields, loading a region, mutation answers,
// dates and names, and the only two ways HTML from the API enters a page (trustedHtml for
// server-sanitised Markdown and diffs, markedSnippet for search snippets).
import { alertBox, h } from "../dom";
import { failureAlert, graphql, RequestFailed } from "../graphql";
import { intlLocale, onLanguageChange, type MessageKey, type Vars } from "../i18n";
import type { PersonRef, Refusal } from "./queries";

// ---- Fields -----------------------------------------------------------------------------

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** A control with its label (and an optional hint tied to it by aria-describedby). */
export function field<C extends Control>(control: C, label: MessageKey, hint?: MessageKey) {
  const parts: Node[] = [h("label", { for: control.id, msg: label })];
  if (hint) {
    parts.push(h("p", { id: `${control.id}-hint`, class: "field-help", msg: hint }));
    control.setAttribute("aria-describedby", `${control.id}-hint`);
  }
  return h("div", { class: "field" }, ...parts, control);
}

export function select(id: string, options: [string, MessageKey][], value: string) {
  return h(
    "select",
    { id, name: id },
    ...options.map(([v, key]) => h("option", { value: v, selected: v === value, msg: key })),
  );
}

// ---- Loading and mutating ---------------------------------------------------------------

/** Fills `region` with what `build` makes, saying it is loading meanwhile. A failure becomes
 * an alert there in the page's language — `failed` names it (a whole page, or one optional
 * section the page stands without); GraphQL's own error text never reaches the page. */
export async function fill(
  region: HTMLElement,
  build: () => Promise<Node[]>,
  failed: MessageKey = "spaces.loadFailed",
): Promise<void> {
  region.setAttribute("aria-busy", "true");
  region.replaceChildren(h("p", { msg: "spaces.loading" }));
  let nodes: Node[];
  try {
    nodes = await build();
  } catch (failure) {
    nodes = [failure instanceof Problem ? (failure.alert ?? alertBox(failed)) : failedAlert(failure, failed)];
  }
  region.replaceChildren(...nodes);
  region.removeAttribute("aria-busy");
}

/** The alert for a failure: the network's or an HTTP status (translated), else `failed`. The
 * details go to the console for whoever debugs, not into the page. */
export function failedAlert(failure: unknown, failed: MessageKey): HTMLElement {
  if (failure instanceof RequestFailed) return failureAlert(failure);
  console.warn(failure);
  return alertBox(failed);
}

/** A query's answer that cannot be shown: carries the alert to show instead (none: the
 * region's own failure message). */
export class Problem extends Error {
  constructor(readonly alert: HTMLElement | null = null) {
    super("problem");
  }
}

/** The data of a query, or a Problem (partial data is not shown; the errors go to the console). */
export async function load<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { data, errors } = await graphql<T>(query, variables);
  if (errors.length || !data) {
    console.warn(errors);
    throw new Problem();
  }
  return data;
}

const REFUSALS = new Set([
  "InvalidInput",
  "NotAuthenticated",
  "NotAuthorized",
  "NotFound",
  "Conflict",
  "TooManyReports",
]);

export function isRefusal(result: { __typename: string }): result is Refusal {
  return REFUSALS.has(result.__typename);
}

/** The alert for a refused mutation: a heading in the page's language, the server's words. */
export function refusalAlert(refusal: Refusal): HTMLElement {
  if (refusal.__typename === "TooManyReports") return alertBox("comments.tooManyReports");
  const heading: MessageKey =
    refusal.__typename === "NotAuthenticated" ? "spaces.signInFirst" : "spaces.refused";
  const details = [refusal.message, ...(refusal.fields ?? []).map((f) => `${f.field}: ${f.message}`)];
  return alertBox(heading, details);
}

/** Runs a mutation; its result field, or null after putting the alert into `messages`. */
export async function mutate<R extends { __typename: string }>(
  messages: HTMLElement,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: Record<string, R>) => R,
): Promise<R | null> {
  messages.replaceChildren();
  try {
    const { data, errors } = await graphql<Record<string, R>>(query, variables);
    if (errors.length || !data) {
      console.warn(errors);
      messages.append(alertBox("spaces.actionFailed"));
      return null;
    }
    const result = pick(data);
    if (isRefusal(result)) {
      messages.append(refusalAlert(result));
      return null;
    }
    return result;
  } catch (failure) {
    messages.append(failedAlert(failure, "spaces.actionFailed"));
    return null;
  }
}

/** A button that runs `action` once at a time (aria-disabled keeps the focus on it). */
export function actionButton(msg: MessageKey, action: () => Promise<void>, vars?: Vars) {
  let busy = false;
  const button: HTMLButtonElement = h("button", {
    type: "button",
    class: "button button--secondary",
    msg,
    vars,
    onclick: () => void run(),
  });
  const run = async () => {
    if (busy) return;
    busy = true;
    button.setAttribute("aria-disabled", "true");
    try {
      await action();
    } finally {
      busy = false;
      button.removeAttribute("aria-disabled");
    }
  };
  return button;
}

/** A status line that screen readers announce. */
export function announce(msg: MessageKey, vars?: Vars): HTMLElement {
  return h("p", { role: "status", class: "notice", msg, vars });
}

// ---- Names and times --------------------------------------------------------------------

/** A person's name as they allow it: their display name (a Contributor's name comes ready
 * from the server), else "a member" — or "erased person" once erased. */
export function personName(person: PersonRef | null | undefined): HTMLElement {
  const name = person?.name ?? person?.displayName;
  if (name) return h("span", {}, name);
  return h("span", { msg: person?.erased ? "spaces.erasedPerson" : "spaces.aMember" });
}

const TIME_STYLES = {
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "long" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

function formatTime(el: HTMLTimeElement): void {
  const style = el.dataset.style as keyof typeof TIME_STYLES;
  const value = el.dateTime.length === 10 ? new Date(`${el.dateTime}T12:00:00Z`) : new Date(el.dateTime);
  el.textContent = Number.isNaN(value.getTime())
    ? el.dateTime
    : new Intl.DateTimeFormat(intlLocale(), { ...TIME_STYLES[style], timeZone: style === "date" ? "UTC" : undefined }).format(value);
}

/** A <time> in the page's language, re-formatted on a language switch. */
export function time(iso: string, style: keyof typeof TIME_STYLES = "dateTime"): HTMLTimeElement {
  const el = h("time", { datetime: iso, "data-style": style, class: "js-time" });
  formatTime(el);
  return el;
}

onLanguageChange(() => document.querySelectorAll<HTMLTimeElement>("time.js-time").forEach(formatTime));

// ---- HTML from the API ------------------------------------------------------------------

const KEPT_ELEMENTS = new Set(
  "p br hr h1 h2 h3 h4 h5 h6 ul ol li blockquote pre code em strong del ins s a table thead tbody tr th td span div mark sup sub".split(
    " ",
  ),
);
const KEPT_ATTRIBUTES = new Set(["href", "title", "class", "colspan", "rowspan", "start"]);

/** The nodes of HTML the server made and sanitised (rendered Markdown, a diff): parsed
 * inertly (DOMParser runs no script) and filtered once more by an allow-list, as a second
 * line of defence. Unknown elements give their text; links only to http(s), mailto or paths;
 * headings move two levels down (a text's # is the page's third level). */
export function trustedHtml(html: string): Node[] {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return [...parsed.body.childNodes].map(copyAllowed).filter((n): n is Node => n !== null);
}

function copyAllowed(node: Node): Node | null {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent ?? "");
  if (!(node instanceof Element)) return null;
  const tag = node.tagName.toLowerCase();
  if (tag === "script" || tag === "style" || tag === "template") return null;
  const children = [...node.childNodes].map(copyAllowed).filter((n): n is Node => n !== null);
  if (!KEPT_ELEMENTS.has(tag)) {
    const fragment = document.createDocumentFragment();
    fragment.append(...children);
    return fragment;
  }
  // A text's own headings sit under the page's <h1> and its section's <h2>.
  const heading = /^h([1-6])$/.exec(tag);
  const copy = document.createElement(heading ? `h${Math.min(Number(heading[1]) + 2, 6)}` : tag);
  for (const attribute of node.attributes) {
    if (!KEPT_ATTRIBUTES.has(attribute.name)) continue;
    if (attribute.name === "href" && !/^(https?:|mailto:|\/|#)/i.test(attribute.value.trim())) continue;
    copy.setAttribute(attribute.name, attribute.value);
  }
  if (tag === "a") copy.setAttribute("rel", "nofollow noopener");
  copy.append(...children);
  return copy;
}

/** A search snippet (HTML: escaped text, matches in <mark>) as text and <mark> only. */
export function markedSnippet(html: string): Node[] {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return [...parsed.body.childNodes].map((node) =>
    node instanceof Element && node.tagName === "MARK"
      ? h("mark", {}, node.textContent ?? "")
      : document.createTextNode(node.textContent ?? ""),
  );
}
