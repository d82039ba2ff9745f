// Deployment settings of the map, from <meta> elements of index.html (dist/index.html once
// built), so one build serves every city: no base layer unless a tile URL is configured.
//   <meta name="meent-tile-url" content="https://tiles.example.org/{z}/{x}/{y}.png" />
//   <meta name="meent-tile-attribution" content="© OpenStreetMap contributors" />
// The tile server must be one the city runs or has an agreement with: never a public CDN
// by default, and none in tests.

export interface BaseLayer {
  url: string;
  attribution: string;
}

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content.trim() ?? "";
}

export function baseLayer(): BaseLayer | null {
  const url = meta("meent-tile-url");
  return url ? { url, attribution: meta("meent-tile-attribution") } : null;
}
