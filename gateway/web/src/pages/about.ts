// `/about`: what meent is.
import { h } from "../dom";
import type { Page } from "../router";

export function about(): Page {
  return {
    title: "about.title",
    render(main) {
      main.append(
        h("h1", { tabindex: "-1", msg: "about.title" }),
        h("p", { msg: "about.body1" }),
        h("p", { msg: "about.body2" }),
      );
    },
  };
}
