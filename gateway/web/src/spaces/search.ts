// `/search?q=&language=`: documents' current text, ranked, with the matches marked. Snippets
// are HTML with only <mark>: rebuilt here from their text and marks (markedSnippet).
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import { navigate, type Page, type RouteMatch } from "../router";
import { documentPath, LANGUAGE_NAMES } from "./labels";
import { SEARCH, type SearchData } from "./queries";
import { field, fill, load, markedSnippet, select } from "./ui";

export function searchPage({ query }: RouteMatch): Page {
  return {
    title: "search.title",
    render(main) {
      const q = h("input", { id: "search-q", name: "q", type: "search", value: query.get("q") ?? "" });
      const language = select("search-language", [["", "search.anyLanguage"], ...LANGUAGE_NAMES] as [string, MessageKey][], query.get("language") ?? "");
      const results = h("div", { "aria-live": "polite" });
      const form = h("form", {
        class: "form form--inline", role: "search",
        onsubmit: (event: Event) => {
          event.preventDefault();
          const params = new URLSearchParams({ q: q.value.trim() });
          if (language.value) params.set("language", language.value);
          navigate(`/search?${params}`);
        },
      }, field(q, "search.q"), field(language, "search.language"), h("button", { type: "submit", class: "button", msg: "search.submit" }));
      main.append(h("h1", { tabindex: "-1", msg: "search.title" }), form, results);
      const text = (query.get("q") ?? "").trim();
      if (!text) return;
      void fill(results, async () => {
        const data = await load<SearchData>(SEARCH, { q: text, language: query.get("language") || null });
        const hits = data.search;
        return [
          h("h2", { msg: "search.count", vars: { count: hits.length } }),
          h("ol", { class: "cards" }, ...hits.map((hit) => h("li", { class: "card" },
            h("h3", {}, h("a", { href: documentPath(hit.projectId, hit.documentId), lang: hit.language }, hit.title)),
            h("p", { class: "snippet", lang: hit.language }, ...markedSnippet(hit.snippet))))),
        ];
      });
    },
  };
}
