// Hash routing: "#/tickets/12?tab=audit" -> {path: ["tickets", "12"], query: URLSearchParams}.

export function currentRoute() {
  const raw = window.location.hash.replace(/^#\/?/, "");
  const [pathPart, queryPart = ""] = raw.split("?");
  const path = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
  return { path, query: new URLSearchParams(queryPart), raw };
}

export function hrefFor(path, query) {
  const qs = query ? new URLSearchParams(query).toString() : "";
  return `#/${path}${qs ? `?${qs}` : ""}`;
}

export function go(path, query) {
  const target = hrefFor(path, query);
  if (window.location.hash === target) {
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = target;
  }
}

export function onRoute(handler) {
  window.addEventListener("hashchange", () => handler(currentRoute()));
}
