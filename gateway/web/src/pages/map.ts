// `/map`: what each site is used for on a day, and what maintenance is due. The map itself
// (Leaflet and the vector tiles) loads on first visit, so other pages stay light.
import { alertBox, h } from "../dom";
import type { Page } from "../router";

export function mapPage(): Page {
  let view: { leave(): void } | null = null;
  let left = false;
  return {
    title: "map.title",
    render(container) {
      // The map needs the room: this page is wider than the text pages.
      document.body.classList.add("page--wide");
      const body = h("div", { class: "map-page" });
      container.append(
        h("h1", { tabindex: "-1", msg: "map.title" }),
        h("p", { msg: "map.intro" }),
        body,
      );
      import("../map/view")
        .then(({ mountMap }) => {
          if (!left) view = mountMap(body);
        })
        .catch(() => {
          if (!left) body.append(alertBox("error.network"));
        });
    },
    leave() {
      left = true;
      view?.leave();
      document.body.classList.remove("page--wide");
    },
  };
}
