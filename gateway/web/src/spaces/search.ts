// `/search?q=&language=`: documents' current text, ranked, with the matches marked. Snippets
// are HTML with only <mark>: rebuilt here from their text and marks (markedSnippet).
import { h } from "../dom";
import type { MessageKey } from "../i18n";
import { navigate, type Page, type RouteMatch } from "../router";
import { documentPath, LANGUAGE_NAMES, projectPath } from "./labels";
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
        const { totalCount, nodes } = data.search;
        return [
          h("h2", { msg: "search.count", vars: { count: totalCount } }),
          h("ol", { class: "cards" }, ...nodes.map((hit) => h("li", { class: "card" },
            h("h3", {}, h("a", { href: documentPath(hit.document.project.slug, hit.document.id), lang: hit.document.language }, hit.document.title)),
            h("p", { class: "card__meta" }, h("a", { href: projectPath(hit.document.project.slug) }, hit.document.project.name)),
            h("p", { class: "snippet", lang: hit.document.language }, ...markedSnippet(hit.snippet))))),
        ];
      });
    },
  };
}
