// Any other path: the gateway answers index.html for it, and we say there is no such page.
import { h } from "../dom";
import type { Page } from "../router";

export function notFound(): Page {
  return {
    title: "notFound.title",
    render(main) {
      main.append(
        h("h1", { tabindex: "-1", msg: "notFound.title" }),
        h("p", { msg: "notFound.body" }),
        h("p", {}, h("a", { href: "/", msg: "notFound.home" })),
      );
    },
  };
}
