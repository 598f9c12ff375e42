// Mail pages: failed/outgoing mails with retry, the inbound log, and the Mailbox (mail catcher).

import { h, field, replaceChildren, select, userText } from "../../common/dom.js";
import { formatDate, formatSize } from "../../common/i18n.js";
import { readMail } from "../../common/mime.js";
import { go, hrefFor } from "../../common/router.js";
import {
  OUTCOMES, alertBox, busy, loading, pager, showLoadError, table, ticketNumber,
} from "../widgets.js";

const PER_PAGE = 50;
const OUTBOX_STATUSES = ["failed", "pending", "sending", "sent"];
const HANDLED = ["ticket_created", "reply_threaded"];

function pageOf(query) {
  return Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1);
}

function ticketLink(id) {
  return id ? h("a", { href: hrefFor(`tickets/${id}`), class: "mono" }, ticketNumber(id)) : "";
}

function outboxBadge(ctx, status) {
  const cls = { failed: "badge badge-danger", sent: "badge badge-ok", pending: "badge",
    sending: "badge badge-warning" }[status] || "badge";
  return h("span", { class: cls }, ctx.i18n.tEnum("outbox", status));
}

// ---- Outbox ------------------------------------------------------------------------------------

export function mountOutbox(ctx, route, main) {
  const { t, i18n } = ctx;
  const alert = alertBox();
  const summary = h("p", { class: "queue-count", role: "status" });
  const results = h("div");
  const filter = select({ name: "status" },
    [["", t("outbox.all")], ...OUTBOX_STATUSES.map((s) => [s, i18n.tEnum("outbox", s)])]);
  filter.addEventListener("change", () => go("mail/outbox", { status: filter.value }));
  let loadId = 0;
  let current = route.query;

  async function load(query) {
    current = query;
    const id = ++loadId;
    const status = query.has("status") ? query.get("status") : "failed";
    const page = pageOf(query);
    filter.value = status;
    replaceChildren(results, loading(ctx));
    try {
      const data = await ctx.api.get("/api/mail/outbox", { status, page, per_page: PER_PAGE });
      if (id !== loadId) return;
      replaceChildren(summary, data.failed
        ? h("span", { class: "badge badge-danger" }, t("outbox.failed_count", { n: data.failed }))
        : h("span", { class: "badge badge-ok" }, t("outbox.none_failed")));
      ctx.refreshFailed();
      const rows = data.items.map((m) => [
        h("time", { datetime: m.created_at, class: "nowrap" }, formatDate(m.created_at, i18n.lang)),
        userText("span", m.to),
        { class: "subject", td: userText("span", m.subject) },
        outboxBadge(ctx, m.status),
        String(m.attempts),
        m.last_error ? userText("div", m.last_error, "mono error-text") : "",
        ticketLink(m.ticket_id),
        m.status === "failed" ? retryButton(m) : "",
      ]);
      replaceChildren(results,
        table(ctx, ["col.created", "col.to", "col.subject", "col.status", "col.attempts",
          "col.error", "col.ticket", "col.actions"], rows,
        { caption: t("outbox.title"),
          emptyText: status === "failed" ? t("outbox.none_failed") : t("outbox.empty") }),
        pager(ctx, { page, perPage: PER_PAGE, total: data.total },
          (next) => go("mail/outbox", { status, page: String(next) })));
    } catch (error) {
      if (id !== loadId) return;
      showLoadError(ctx, results, error);
    }
  }

  function retryButton(mail) {
    const button = h("button", { type: "button", class: "btn btn-small",
      "aria-label": `${t("outbox.retry")} — ${mail.subject}` }, t("outbox.retry"));
    button.addEventListener("click", () => busy(button, async () => {
      alert.clear();
      try {
        await ctx.api.post(`/api/mail/outbox/${mail.id}/retry`);
        alert.success(t("outbox.retried"));
        await load(current);
      } catch (error) {
        alert.error(ctx, error);
      }
    }));
    return button;
  }

  main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("outbox.title")), summary),
    h("div", { class: "panel inline-form" }, field(t("outbox.filter"), filter)),
    alert.node,
    results,
  );
  load(route.query);
  return { update: (next) => load(next.query) };
}

// ---- Inbound -----------------------------------------------------------------------------------

export function mountInbound(ctx, route, main) {
  const { t, i18n } = ctx;
  const alert = alertBox();
  const count = h("p", { class: "queue-count", role: "status" });
  const results = h("div");
  const filter = select({ name: "outcome" },
    [["", t("inbound.all")], ...OUTCOMES.map((o) => [o, i18n.tEnum("outcome", o)])]);
  filter.addEventListener("change", () => go("mail/inbound", { outcome: filter.value }));
  let loadId = 0;
  let current = route.query;

  async function load(query) {
    current = query;
    const id = ++loadId;
    const outcome = query.get("outcome") || "";
    const page = pageOf(query);
    filter.value = outcome;
    replaceChildren(results, loading(ctx));
    try {
      const data = await ctx.api.get("/api/mail/inbound", { outcome, page, per_page: PER_PAGE });
      if (id !== loadId) return;
      count.textContent = t("inbound.count", { n: data.total });
      const rows = data.items.map((m) => [
        h("time", { datetime: m.received_at, class: "nowrap" },
          formatDate(m.received_at, i18n.lang)),
        userText("span", m.from),
        { class: "subject", td: userText("span", m.subject) },
        formatSize(m.size, i18n.lang),
        h("span", { class: outcomeClass(m) }, i18n.tEnum("outcome", m.outcome)),
        m.detail ? userText("div", m.detail, "small") : "",
        m.ticket_id ? ticketLink(m.ticket_id) : "",
        h("div", { class: "actions" },
          h("a", { class: "btn btn-small", href: `/api/mail/inbound/${Number(m.id)}/raw`,
            download: `inbound-${Number(m.id)}.eml` }, t("inbound.raw")),
          HANDLED.includes(m.outcome) ? null : makeTicketButton(m)),
      ]);
      replaceChildren(results,
        table(ctx, ["col.received", "col.from", "col.subject", "col.size", "col.outcome",
          "col.detail", "col.ticket", "col.actions"], rows,
        { caption: t("inbound.title"), emptyText: t("inbound.empty") }),
        pager(ctx, { page, perPage: PER_PAGE, total: data.total },
          (next) => go("mail/inbound", { outcome, page: String(next) })));
    } catch (error) {
      if (id !== loadId) return;
      showLoadError(ctx, results, error);
    }
  }

  function outcomeClass(mail) {
    if (mail.status === "failed" || mail.outcome === "unparseable") return "badge badge-danger";
    if (HANDLED.includes(mail.outcome)) return "badge badge-ok";
    return "badge badge-warning";
  }

  function makeTicketButton(mail) {
    const button = h("button", { type: "button", class: "btn btn-small btn-primary",
      "aria-label": `${t("inbound.make_ticket")} — ${mail.subject}` }, t("inbound.make_ticket"));
    button.addEventListener("click", () => busy(button, async () => {
      alert.clear();
      try {
        const made = await ctx.api.post(`/api/mail/inbound/${mail.id}/ticket`);
        alert.success(t("inbound.made", { number: made.number }));
        await load(current);
      } catch (error) {
        alert.error(ctx, error);
      }
    }));
    return button;
  }

  main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("inbound.title")), count),
    h("div", { class: "panel inline-form" }, field(t("inbound.outcome"), filter)),
    alert.node,
    results,
  );
  load(route.query);
  return { update: (next) => load(next.query) };
}

// ---- Mailbox (the embedded mail catcher) -------------------------------------------------------

export function mountMailbox(ctx, route, main) {
  const { t, i18n } = ctx;
  const results = h("div");
  let loadId = 0;

  async function load(query) {
    const id = ++loadId;
    const page = pageOf(query);
    replaceChildren(results, loading(ctx));
    try {
      const data = await ctx.api.get("/api/mail/catcher", { page, per_page: PER_PAGE });
      if (id !== loadId) return;
      const rows = data.items.map((m) => [
        h("time", { datetime: m.received_at, class: "nowrap" },
          formatDate(m.received_at, i18n.lang)),
        userText("span", m.from),
        userText("span", Array.isArray(m.to) ? m.to.join(", ") : String(m.to || "")),
        { class: "subject", td: h("a", { href: hrefFor(`mailbox/${m.id}`) },
          userText("span", m.subject || t("mailbox.no_subject"))) },
        formatSize(m.size, i18n.lang),
      ]);
      replaceChildren(results,
        table(ctx, ["col.received", "col.from", "col.to", "col.subject", "col.size"], rows,
          { caption: t("mailbox.title"), emptyText: t("mailbox.empty") }),
        pager(ctx, { page, perPage: PER_PAGE, total: data.total },
          (next) => go("mailbox", { page: String(next) })));
    } catch (error) {
      if (id !== loadId) return;
      showLoadError(ctx, results, error);
    }
  }

  main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("mailbox.title"))),
    h("p", { class: "muted" }, t("mailbox.intro")),
    results,
  );
  load(route.query);
  return { update: (next) => load(next.query) };
}

export function mountCaught(ctx, route, main) {
  const { t, i18n } = ctx;
  const mailId = Number(route.path[1]);
  const heading = h("h1", {}, "…");
  const body = h("div", {}, loading(ctx));
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: hrefFor("mailbox") }, t("mailbox.back"))),
    h("div", { class: "page-head" }, heading),
    body,
  );
  (async () => {
    try {
      const mail = await ctx.api.get(`/api/mail/catcher/${mailId}`);
      const read = readMail(mail.raw);
      const fact = (key, value) => (value ? [h("dt", {}, t(key)), h("dd", {}, userText("span", value))]
        : null);
      replaceChildren(heading, userText("span", read.headers.subject || mail.subject
        || t("mailbox.no_subject")));
      replaceChildren(body,
        h("section", { class: "panel" },
          h("dl", { class: "facts" },
            fact("col.from", read.headers.from || mail.from),
            fact("col.to", read.headers.to
              || (Array.isArray(mail.to) ? mail.to.join(", ") : String(mail.to || ""))),
            fact("mailbox.cc", read.headers.cc),
            fact("mailbox.envelope", `${mail.from} → ${
              Array.isArray(mail.to) ? mail.to.join(", ") : String(mail.to || "")}`),
            h("dt", {}, t("col.received")), h("dd", {}, formatDate(mail.received_at, i18n.lang)),
            h("dt", {}, t("col.size")), h("dd", {}, formatSize(mail.size, i18n.lang)))),
        h("section", { class: "panel", "aria-labelledby": "mail-text-title" },
          h("h2", { id: "mail-text-title" }, t("mailbox.text")),
          read.fromHtml ? h("p", { class: "hint" }, t("mailbox.from_html")) : null,
          userText("div", read.text, "mail-text")),
        read.attachments.length ? h("section", { class: "panel" },
          h("h2", {}, t("mailbox.attachments")),
          h("ul", {}, read.attachments.map((a) => h("li", {},
            userText("span", a.filename || t("mailbox.unnamed")), " ",
            h("span", { class: "muted" }, `${a.type}, ${formatSize(a.size, i18n.lang)}`))))) : null,
        h("details", { class: "panel" },
          h("summary", {}, t("mailbox.raw")),
          h("pre", { class: "raw", tabindex: "0", "aria-label": t("mailbox.raw") },
            document.createTextNode(mail.raw))),
      );
    } catch (error) {
      showLoadError(ctx, body, error);
    }
  })();
  return null;
}
