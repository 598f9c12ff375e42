// Guichet customer portal: sign-in by e-mailed link, my requests, one request's thread.

import { ApiError, createApi } from "../common/api.js";
import { apiErrorText } from "../common/errors.js";
import { h, field, markFieldErrors, replaceChildren, select, userText } from "../common/dom.js";
import { createI18n, formatDate } from "../common/i18n.js";
import { currentRoute, go, hrefFor, onRoute } from "../common/router.js";
import { dictionaries } from "./strings.js";

const CATEGORIES = ["technical", "billing", "sales", "account", "other"];
const i18n = createI18n(dictionaries, "guichet.portal.lang");
const t = (key, vars) => i18n.t(key, vars);
const main = document.getElementById("main");
let customer = null;
let services = [];
let linkError = null;

const api = createApi({
  networkMessage: () => t("error.network"),
  onUnauthorized() {
    if (customer) signedOut();
  },
});

function errorText(error) {
  return error instanceof ApiError ? apiErrorText(error, i18n.lang) : t("error.generic");
}

function alertBox() {
  const node = h("div", { class: "alert alert-error", role: "alert" });
  node.hidden = true;
  return {
    node,
    show(text, kind = "error") {
      node.className = `alert alert-${kind}`;
      node.textContent = text;
      node.hidden = false;
    },
    clear() {
      node.hidden = true;
      node.textContent = "";
    },
  };
}

function toast(text) {
  const node = document.getElementById("toast");
  node.textContent = text;
  node.classList.add("toast-visible");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => node.classList.remove("toast-visible"), 4000);
}

function statusBadge(status) {
  return h("span", { class: `badge badge-status-${status}` }, t(`status.${status}`));
}

function loading() {
  return h("p", { class: "spinner", role: "status" }, t("loading"));
}

// ---- Sign in -----------------------------------------------------------------------------------

function signInView() {
  const alert = alertBox();
  if (linkError) alert.show(t("error.invalid_link"));
  const email = h("input", { type: "email", name: "email", required: true, autocomplete: "email" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("signin.submit"));
  const card = h("section", { class: "panel signin" });

  async function onSubmit(event) {
    event.preventDefault();
    alert.clear();
    submit.disabled = true;
    try {
      await api.post("/api/portal/login-link", { email: email.value.trim() });
      linkError = null;
      replaceChildren(card,
        h("h1", { tabindex: "-1" }, t("signin.title")),
        h("div", { class: "alert alert-success", role: "status" }, t("signin.sent")),
        h("p", {}, userText("strong", email.value.trim())),
        h("button", { type: "button", class: "btn", on: { click: () => render(currentRoute()) } },
          t("signin.again")));
      card.querySelector("h1").focus();
    } catch (error) {
      alert.show(errorText(error));
      submit.disabled = false;
    }
  }

  replaceChildren(card,
    h("h1", {}, t("signin.title")),
    h("p", { class: "muted" }, t("signin.intro")),
    alert.node,
    h("form", { on: { submit: onSubmit } },
      field(t("signin.email"), email),
      h("div", { class: "actions" }, submit)));
  main.append(card);
  email.focus();
}

// ---- My requests -------------------------------------------------------------------------------

function listView() {
  const body = h("div", {}, loading());
  main.append(
    h("div", { class: "page-head" },
      h("h1", {}, t("list.title")),
      h("a", { class: "btn btn-primary", href: hrefFor("new") }, t("list.new"))),
    body,
  );
  api.get("/api/portal/tickets").then((data) => {
    if (!data.items.length) {
      replaceChildren(body, h("div", { class: "panel empty" }, t("list.empty")));
      return;
    }
    replaceChildren(body, h("ul", { class: "request-list", "aria-label": t("list.title") },
      data.items.map((ticket) => h("li", { class: "request" },
        h("a", { href: hrefFor(`tickets/${ticket.id}`), class: "request-link" },
          h("span", { class: "request-number mono" }, ticket.number),
          userText("span", ticket.subject, "request-subject")),
        h("div", { class: "request-meta" },
          statusBadge(ticket.status),
          h("time", { datetime: ticket.updated_at, class: "muted" },
            formatDate(ticket.updated_at, i18n.lang)))))));
  }).catch((error) => {
    replaceChildren(body, h("div", { class: "alert alert-error", role: "alert" }, errorText(error)));
  });
}

// ---- New request -------------------------------------------------------------------------------

function newView() {
  const alert = alertBox();
  const subject = h("input", { type: "text", name: "subject", required: true, maxlength: "250" });
  const category = select({ name: "category" },
    CATEGORIES.map((c) => [c, t(`category.${c}`)]), "technical");
  const body = h("textarea", { name: "body", required: true, rows: "10" });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("new.submit"));
  // The service concerned, when the customer has any (labels and domains are their own data).
  const service = select({ name: "service_id" }, [["", t("new.service_none")],
    ...services.map((s) => [String(s.id),
      [s.label, ...s.resources.slice(0, 2)].join(" — ")])], "");

  async function onSubmit(event) {
    event.preventDefault();
    alert.clear();
    submit.disabled = true;
    try {
      const ticket = await api.post("/api/portal/tickets", {
        subject: subject.value, body: body.value, category: category.value,
        service_id: service.value ? Number(service.value) : null,
      });
      toast(t("new.sent"));
      go(`tickets/${ticket.id}`);
    } catch (error) {
      alert.show(errorText(error));
      markFieldErrors(form, error);
      submit.disabled = false;
    }
  }

  const form = h("form", { class: "panel", on: { submit: onSubmit } },
    field(t("new.category"), category),
    services.length ? field(t("new.service"), service) : null,
    field(t("new.subject"), subject),
    field(t("new.body"), body, t("new.body_hint")),
    h("div", { class: "actions" }, submit,
      h("a", { class: "btn", href: hrefFor("") }, t("new.cancel"))));
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: hrefFor("") }, t("ticket.back"))),
    h("h1", {}, t("new.title")),
    alert.node,
    form,
  );
}

// ---- One request -------------------------------------------------------------------------------

function messageNode(message) {
  const kind = message.author_kind === "customer" ? "customer"
    : message.author_kind === "agent" ? "agent" : "system";
  const author = kind === "customer" ? t("ticket.you")
    : kind === "agent" ? t("ticket.support") : t("ticket.system");
  return h("li", { class: `msg msg-${kind} portal-msg-${kind}`, dataset: { messageId: message.id, kind } },
    h("article", { "aria-label": author },
      h("header", { class: "msg-head" },
        h("span", { class: "msg-author" }, author),
        h("time", { datetime: message.created_at }, formatDate(message.created_at, i18n.lang))),
      userText("div", message.body, "msg-body")));
}

function ticketView(ticketId) {
  const alert = alertBox();
  const heading = h("h1", {}, "…");
  const status = h("div");
  const thread = h("ol", { class: "thread", "aria-label": t("ticket.thread") });
  const composerSlot = h("div");
  const textarea = h("textarea", { name: "body", rows: "6" });
  const send = h("button", { type: "submit", class: "btn btn-primary" }, t("ticket.send"));
  let ticket = null;

  async function onSend(event) {
    event.preventDefault();
    alert.clear();
    send.disabled = true;
    try {
      await api.post(`/api/portal/tickets/${ticketId}/messages`, { body: textarea.value });
      textarea.value = "";
      toast(t("ticket.sent"));
      await load();
    } catch (error) {
      alert.show(errorText(error));
    } finally {
      send.disabled = false;
      textarea.focus();
    }
  }
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) onSend(event);
  });
  const composer = h("form", { class: "panel composer", on: { submit: onSend } },
    h("h2", {}, t("ticket.reply")),
    field(t("ticket.reply_label"), textarea, t("ticket.shortcut")),
    h("div", { class: "actions" }, send));

  async function load() {
    ticket = await api.get(`/api/portal/tickets/${ticketId}`);
    replaceChildren(heading, h("span", { class: "mono ticket-number" }, ticket.number), " ",
      userText("span", ticket.subject));
    replaceChildren(status, statusBadge(ticket.status));
    replaceChildren(thread, ticket.messages.map(messageNode));
    if (ticket.merged_into) {
      replaceChildren(composerSlot, h("div", { class: "alert alert-info" }, t("ticket.merged"), " ",
        h("a", { href: hrefFor(`tickets/${ticket.merged_into}`) }, t("ticket.merged_link"))));
    } else if (ticket.status === "closed") {
      replaceChildren(composerSlot, h("div", { class: "alert alert-info" }, t("ticket.closed"), " ",
        h("a", { href: hrefFor("new") }, t("list.new"))));
    } else if (!composerSlot.contains(composer)) {
      replaceChildren(composerSlot, composer);
    }
  }

  const body = h("div", {}, loading());
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: hrefFor("") }, t("ticket.back"))),
    h("div", { class: "page-head" }, heading, status),
    alert.node,
    body,
  );
  load().then(() => {
    replaceChildren(body, h("section", { "aria-label": t("ticket.thread") }, thread), composerSlot);
  }).catch((error) => {
    replaceChildren(body, h("div", { class: "alert alert-error", role: "alert" }, errorText(error)));
  });
}

// ---- Shell -------------------------------------------------------------------------------------

function render(route) {
  replaceChildren(main);
  if (!customer) {
    signInView();
    return;
  }
  const [first, second] = route.path;
  if (!first) listView();
  else if (first === "new") newView();
  else if (first === "tickets" && /^\d+$/.test(second || "")) ticketView(Number(second));
  else main.append(h("h1", {}, t("error.notfound")));
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
}

function signedIn(me) {
  customer = me.customer;
  services = me.services || [];
  api.setCsrf(me.csrf_token);
  i18n.suggest(customer.language);
  const who = document.getElementById("whoami");
  who.textContent = customer.email;
  who.hidden = false;
  document.getElementById("logout").hidden = false;
}

function signedOut() {
  customer = null;
  api.setCsrf(null);
  document.getElementById("whoami").hidden = true;
  document.getElementById("logout").hidden = true;
  render(currentRoute());
}

function paintLanguage() {
  document.title = t("title");
  i18n.translateStatic();
  for (const button of document.querySelectorAll("#lang-switch button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === i18n.lang));
  }
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  if (params.get("error") === "invalid_link") {
    linkError = true;
    window.history.replaceState(null, "", `${window.location.pathname}${window.location.hash}`);
  }
  for (const button of document.querySelectorAll("#lang-switch button")) {
    button.addEventListener("click", () => i18n.choose(button.dataset.lang));
  }
  document.getElementById("logout").addEventListener("click", async () => {
    try {
      await api.post("/api/portal/logout");
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        toast(errorText(error));
        return;
      }
    }
    window.location.hash = "#/";
    signedOut();
  });
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    (main.querySelector("h1") || main).focus();
  });
  i18n.onChange(() => {
    paintLanguage();
    render(currentRoute());
  });
  try {
    signedIn(await api.get("/api/portal/me"));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      paintLanguage();
      main.append(h("div", { class: "alert alert-error", role: "alert" }, errorText(error)));
      return;
    }
  }
  paintLanguage();
  onRoute(render);
  render(currentRoute());
}

start();
