// Start-up: language, the language switcher, the skip link, the router and the account.
import { refreshAccount } from "./account";
import { initialLanguage, language, LANGUAGES, setLanguage, t, type Lang } from "./i18n";
import { about } from "./pages/about";
import { home } from "./pages/home";
import { logHoursPage } from "./hours/log";
import { myHoursPage } from "./hours/mine";
import { projectHoursPage } from "./hours/project-hours";
import { approvalQueuePage } from "./hours/queue";
import { mapPage } from "./pages/map";
import { notFound } from "./pages/not-found";
import { signIn } from "./pages/sign-in";
import { startRouter } from "./router";
import { documentPage } from "./spaces/document";
import { editorPage } from "./spaces/editor";
import { diffPage, historyPage } from "./spaces/history";
import { mePage } from "./spaces/me";
import { projectPage } from "./spaces/project";
import { projectsPage } from "./spaces/projects";
import { searchPage } from "./spaces/search";
import { applyPage } from "./grants/apply";
import { callPage } from "./grants/call";
import { callsPage } from "./grants/calls";
import { editCallPage, newCallPage } from "./grants/editor";
import { reviewPage } from "./grants/review";
import { votePage } from "./grants/vote";

setLanguage(initialLanguage(), { remember: false });

const select = document.getElementById("language") as HTMLSelectElement;
for (const lang of LANGUAGES) {
  // Each language named in itself (and marked so a screen reader pronounces it right).
  const option = new Option(t("meta.autonym", {}, lang), lang, false, lang === language());
  option.lang = lang;
  select.add(option);
}
select.addEventListener("change", () => setLanguage(select.value as Lang));

// The skip link focuses <main> itself instead of changing the URL's fragment, which
// would add a history entry and leave the focus behaviour to the browser.
document.querySelector<HTMLAnchorElement>(".skip-link")!.addEventListener("click", (event) => {
  event.preventDefault();
  const main = document.getElementById("main")!;
  main.focus();
  main.scrollIntoView();
});

startRouter(
  {
    "/": home,
    "/map": mapPage,
    "/sign-in": signIn,
    "/about": about,
    "/projects": projectsPage,
    "/projects/:slug": projectPage,
    "/projects/:slug/documents/:id": documentPage,
    "/projects/:slug/documents/:id/history": historyPage,
    "/projects/:slug/documents/:id/diff": diffPage,
    "/projects/:slug/documents/:id/edit": editorPage,
    "/search": searchPage,
    "/me": mePage,
    "/hours/log": logHoursPage,
    "/hours/mine": myHoursPage,
    "/hours/queue": approvalQueuePage,
    "/projects/:slug/hours": projectHoursPage,
    "/calls": callsPage,
    "/calls/new": newCallPage,
    "/calls/:id": callPage,
    "/calls/:id/edit": editCallPage,
    "/calls/:id/apply": applyPage,
    "/calls/:id/review": reviewPage,
    "/calls/:id/vote": votePage,
  },
  notFound,
);
void refreshAccount();
