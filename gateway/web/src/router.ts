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

type Routes = Record<string, () => Page>;

let routes: Routes = {};
let fallback: () => Page;
let title: MessageKey | null = null;
let shown: string | null = null;
let current: Page | null = null;
const main = () => document.getElementById("main")!;

function setTitle(): void {
  if (title) document.title = t("title.format", { page: t(title) });
}

function canonical(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

function show(moveFocus: boolean): void {
  const path = canonical(location.pathname);
  if (path !== location.pathname) history.replaceState(history.state, "", path + location.search);
  shown = path;
  const page = (routes[path] ?? fallback)();
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
  if (path !== location.pathname) history.pushState(null, "", path);
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
    canonical(a.pathname) in routes
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
  // Back/forward. A fragment-only change (same path) also fires popstate: nothing to render.
  window.addEventListener("popstate", () => {
    if (canonical(location.pathname) !== shown) show(true);
  });
  onLanguageChange(setTitle);
  // The first render keeps the focus at the top of the document, where the skip link is.
  show(false);
}
