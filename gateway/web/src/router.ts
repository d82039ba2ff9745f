// History-API routing. A route change renders the page into <main>, sets document.title
// and moves the focus to the page's <h1>, so screen-reader and keyboard users land on the
// new content (as a full page load would put them at the top).
import { onLanguageChange, t, type MessageKey } from "./i18n";

export interface Page {
  /** The message key of the page's name, for the <h1> and document.title. */
  title: MessageKey;
  render(main: HTMLElement): void;
  /** Called when another page replaces this one: stop timers, requests and listeners. */
  leave?(): void;
}

/** What a route's page is made from: the `:name` parts of its pattern and the query string. */
export interface RouteMatch {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Names the page by data it loaded (a project's name; user text, so not re-translated).
   * Ignored once another page has replaced this one. */
  setTitle(text: string): void;
}

/** Patterns: exact paths ("/map") or with `:name` segments ("/projects/:slug"). */
type Routes = Record<string, (match: RouteMatch) => Page>;

let routes: Routes = {};
let fallback: () => Page;
let title: MessageKey | null = null;
/** A page's own name once it has loaded it (a project's name): shown instead of `title`. */
let titleText: string | null = null;
let shown: string | null = null;
let shows = 0;
let current: Page | null = null;
const main = () => document.getElementById("main")!;

function setTitle(): void {
  if (titleText !== null) document.title = t("title.format", { page: titleText });
  else if (title) document.title = t("title.format", { page: t(title) });
}


/** The route for `path`: an exact pattern first, then the first pattern whose segments fit. */
function match(path: string): { make: Routes[string]; params: Record<string, string> } | null {
  if (routes[path]) return { make: routes[path], params: {} };
  const parts = path.split("/");
  for (const [pattern, make] of Object.entries(routes)) {
    const want = pattern.split("/");
    if (!pattern.includes(":") || want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = want.every((segment, i) => {
      if (!segment.startsWith(":")) return segment === parts[i];
      if (!parts[i]) return false;
      try {
        params[segment.slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        return false; // a malformed escape: not ours
      }
      return true;
    });
    if (fits) return { make, params };
  }
  return null;
}

function canonical(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function show(moveFocus: boolean): void {
  const path = canonical(location.pathname);
  if (path !== location.pathname) history.replaceState(history.state, "", path + location.search);
  shown = path + location.search;
  const found = match(path);
  const query = new URLSearchParams(location.search);
  const generation = ++shows;
  const setPageTitle = (text: string) => {
    if (generation !== shows) return;
    titleText = text;
    setTitle();
  };
  titleText = null;
  const page = found ? found.make({ params: found.params, query, setTitle: setPageTitle }) : fallback();
  current?.leave?.();
  current = page;
  main().replaceChildren();
  page.render(main());
  title = page.title;
  setTitle();
  // The current page in the nav: aria-current for assistive technology, styled by it too.
  document.querySelectorAll<HTMLAnchorElement>(".site-nav a").forEach((a) => {
    if (a.pathname === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  if (moveFocus) main().querySelector<HTMLElement>("h1")?.focus();
}

export function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, "", path);
  show(true);
}

/** Whether a click on `a` is ours to handle as an in-app route change. */
function isAppLink(a: HTMLAnchorElement, event: MouseEvent): boolean {
  return (
    event.button === 0 &&
    !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) &&
    !a.target &&
    !a.hasAttribute("download") &&
    a.origin === location.origin &&
    !a.getAttribute("href")!.startsWith("#") &&
    match(canonical(a.pathname)) !== null
  );
}

export function startRouter(pages: Routes, notFound: () => Page): void {
  routes = pages;
  fallback = notFound;
  document.addEventListener("click", (event) => {
    const a = (event.target as Element).closest?.("a[href]") as HTMLAnchorElement | null;
    if (!a || event.defaultPrevented || !isAppLink(a, event)) return;
    event.preventDefault();
    navigate(a.pathname + a.search);
  });
  // Back/forward. A fragment-only change (same path and query) also fires popstate: nothing
  // to render.
  window.addEventListener("popstate", () => {
    if (canonical(location.pathname) + location.search !== shown) show(true);
  });
  onLanguageChange(setTitle);
  // The first render keeps the focus at the top of the document, where the skip link is.
  show(false);
}
