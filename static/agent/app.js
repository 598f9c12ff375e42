// Guichet agent console: session, shell (navigation, language, failed-mail badge) and routing.

import { ApiError, createApi } from "../common/api.js";
import { apiErrorText } from "../common/errors.js";
import { h, replaceChildren } from "../common/dom.js";
import { createI18n } from "../common/i18n.js";
import { currentRoute, go, onRoute } from "../common/router.js";
import { dictionaries } from "./strings.js";
import * as customers from "./views/customers.js";
import * as login from "./views/login.js";
import * as mail from "./views/mail.js";
import * as newTicket from "./views/new_ticket.js";
import * as queue from "./views/queue.js";
import * as ticket from "./views/ticket.js";

const FAILED_POLL_MS = 30000;
const i18n = createI18n(dictionaries, "guichet.agent.lang");
const main = document.getElementById("main");

const ctx = {
  i18n,
  t: (key, vars) => i18n.t(key, vars),
  me: null,
  agentsCache: null,
  api: createApi({
    networkMessage: () => i18n.t("error.network"),
    onUnauthorized(error, path) {
      if (path === "/api/auth/login" || !ctx.me) return;
      signedOut();
    },
  }),
  errorText(error) {
    if (error instanceof ApiError) return apiErrorText(error, i18n.lang);
    return i18n.t("error.generic");
  },
  toast(text) {
    const node = document.getElementById("toast");
    node.textContent = text;
    node.classList.add("toast-visible");
    clearTimeout(ctx.toastTimer);
    ctx.toastTimer = setTimeout(() => node.classList.remove("toast-visible"), 4000);
  },
  async agents() {
    if (!ctx.agentsCache) ctx.agentsCache = (await ctx.api.get("/api/agents")).items;
    return ctx.agentsCache;
  },
  refreshFailed: () => refreshFailedMails(),
  signedIn: (me) => signedIn(me),
  go,
};

// ---- Routing ---------------------------------------------------------------------------------

const VIEWS = [
  { match: (p) => p[0] === "login", key: () => "login", view: login.mount, open: true },
  { match: (p) => p.length === 0 || p[0] === "queue", key: () => "queue", view: queue.mount },
  { match: (p) => p[0] === "new", key: () => "new", view: newTicket.mount },
  { match: (p) => p[0] === "tickets" && /^\d+$/.test(p[1] || ""),
    key: (p) => `tickets/${p[1]}`, view: ticket.mount },
  { match: (p) => p[0] === "customers" && !p[1], key: () => "customers", view: customers.mountList },
  { match: (p) => p[0] === "customers" && /^\d+$/.test(p[1] || ""),
    key: (p) => `customers/${p[1]}`, view: customers.mountDetail },
  { match: (p) => p[0] === "mail" && p[1] === "outbox", key: () => "mail/outbox",
    view: mail.mountOutbox },
  { match: (p) => p[0] === "mail" && p[1] === "inbound", key: () => "mail/inbound",
    view: mail.mountInbound },
  { match: (p) => p[0] === "mailbox" && !p[1], key: () => "mailbox", view: mail.mountMailbox },
  { match: (p) => p[0] === "mailbox" && /^\d+$/.test(p[1] || ""),
    key: (p) => `mailbox/${p[1]}`, view: mail.mountCaught },
];

let mounted = { key: null, instance: null };

function render(route, { force = false } = {}) {
  const entry = VIEWS.find((v) => v.match(route.path));
  if (!entry) {
    mounted = { key: null, instance: null };
    replaceChildren(main, h("div", { class: "panel" },
      h("h1", { tabindex: "-1" }, ctx.t("error.notfound"))));
    return;
  }
  if (!entry.open && !ctx.me) {
    try {
      sessionStorage.setItem("guichet.agent.next", route.raw);
    } catch {
      /* ignore */
    }
    go("login");
    return;
  }
  if (entry === VIEWS[0] && ctx.me) {
    go("queue");
    return;
  }
  const key = entry.key(route.path);
  markNav(key);
  if (!force && mounted.key === key && mounted.instance && mounted.instance.update) {
    mounted.instance.update(route);
    return;
  }
  if (mounted.instance && mounted.instance.unmount) mounted.instance.unmount();
  replaceChildren(main);
  mounted = { key, instance: entry.view(ctx, route, main) || null };
  const heading = main.querySelector("h1");
  if (heading && !force) {
    heading.setAttribute("tabindex", "-1");
    if (document.activeElement === document.body || document.activeElement === main) {
      heading.focus({ preventScroll: true });
    }
  }
  window.scrollTo(0, 0);
}

function markNav(key) {
  for (const link of document.querySelectorAll("#nav a")) {
    const active = key === link.dataset.route || key.startsWith(`${link.dataset.route}/`)
      || (link.dataset.route === "queue" && key.startsWith("tickets/"));
    if (active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

// ---- Session ---------------------------------------------------------------------------------

function signedIn(me) {
  ctx.me = me.agent;
  ctx.api.setCsrf(me.csrf_token);
  i18n.suggest(me.agent.language);
  ctx.agentsCache = null;
  const who = document.getElementById("whoami");
  who.textContent = me.agent.name || me.agent.email;
  who.hidden = false;
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  // The mail catcher holds sign-in links: shown to admins only (the API checks too).
  document.getElementById("nav-mailbox").hidden = me.agent.role !== "admin";
  refreshFailedMails();
  clearInterval(ctx.failedTimer);
  ctx.failedTimer = setInterval(refreshFailedMails, FAILED_POLL_MS);
}

function signedOut() {
  ctx.me = null;
  ctx.api.setCsrf(null);
  clearInterval(ctx.failedTimer);
  document.getElementById("whoami").hidden = true;
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("failed-banner").hidden = true;
  mounted = { key: null, instance: null };
  go("login");
}

async function logout() {
  try {
    await ctx.api.post("/api/auth/logout");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      ctx.toast(ctx.errorText(error));
      return;
    }
  }
  signedOut();
}

// ---- Failed mails: never silent --------------------------------------------------------------

let failedCount = 0;

async function refreshFailedMails() {
  if (!ctx.me) return;
  try {
    const data = await ctx.api.get("/api/mail/outbox", { status: "failed", per_page: 1 });
    failedCount = data.failed;
  } catch {
    return;
  }
  paintFailed();
}

function paintFailed() {
  const badge = document.getElementById("failed-badge");
  const banner = document.getElementById("failed-banner");
  const show = Boolean(ctx.me) && failedCount > 0;
  badge.hidden = !show;
  banner.hidden = !show;
  badge.textContent = String(failedCount);
  badge.setAttribute("aria-label", ctx.t("nav.failed", { n: failedCount }));
  badge.title = ctx.t("nav.failed", { n: failedCount });
  document.getElementById("failed-banner-text").textContent =
    ctx.t("banner.failed", { n: failedCount });
}

// ---- Language ----------------------------------------------------------------------------------

function paintLanguage() {
  document.title = ctx.t("app.title");
  i18n.translateStatic();
  for (const button of document.querySelectorAll("#lang-switch button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === i18n.lang));
  }
  paintFailed();
}

i18n.onChange(() => {
  paintLanguage();
  if (mounted.key) render(currentRoute(), { force: true });
});

// ---- Start -------------------------------------------------------------------------------------

function wireShell() {
  for (const button of document.querySelectorAll("#lang-switch button")) {
    button.addEventListener("click", () => i18n.choose(button.dataset.lang));
  }
  document.getElementById("logout").addEventListener("click", logout);
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    const target = main.querySelector("h1") || main;
    target.setAttribute("tabindex", "-1");
    target.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || event.target.isContentEditable) return;
    const search = main.querySelector("[data-shortcut='search']");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });
}

async function start() {
  wireShell();
  paintLanguage();
  try {
    signedIn(await ctx.api.get("/api/auth/me"));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      replaceChildren(main, h("div", { class: "alert alert-error", role: "alert" },
        ctx.errorText(error)));
      return;
    }
  }
  onRoute((route) => render(route));
  const route = currentRoute();
  if (!route.path.length) {
    go(ctx.me ? "queue" : "login");
  } else {
    render(route);
  }
}

start();
