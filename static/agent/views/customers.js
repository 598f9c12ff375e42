// Customers: search, and one customer's record with services and tickets.

import { h, field, replaceChildren, userText } from "../../common/dom.js";
import { formatDate } from "../../common/i18n.js";
import { go, hrefFor } from "../../common/router.js";
import {
  alertBox, loading, pager, priorityBadge, showLoadError, statusBadge, table,
} from "../widgets.js";

const PER_PAGE = 25;

export function mountList(ctx, route, main) {
  const { t, i18n } = ctx;
  const alert = alertBox();
  const q = h("input", { type: "search", name: "q", maxlength: "200", autocomplete: "off",
    dataset: { shortcut: "search" } });
  const count = h("p", { class: "queue-count", role: "status" });
  const results = h("div");
  let loadId = 0;

  async function load(query) {
    const id = ++loadId;
    const page = Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1);
    q.value = query.get("q") || "";
    alert.clear();
    replaceChildren(results, loading(ctx));
    try {
      const data = await ctx.api.get("/api/customers", { q: q.value.trim(), page, per_page: PER_PAGE });
      if (id !== loadId) return;
      count.textContent = t("customers.count", { n: data.total });
      const rows = data.items.map((c) => [
        { class: "subject", td: h("a", { href: hrefFor(`customers/${c.id}`) },
          userText("span", c.name || c.email)) },
        userText("span", c.email),
        userText("span", c.company || ""),
        i18n.tEnum("lang", c.language),
        h("span", { class: c.support_status === "active" ? "badge badge-ok" : "badge badge-danger" },
          i18n.tEnum("support", c.support_status)),
      ]);
      replaceChildren(results,
        table(ctx, ["col.name", "col.email", "col.company", "col.language", "col.support"], rows,
          { caption: t("customers.title"), emptyText: t("customers.empty") }),
        pager(ctx, { page, perPage: PER_PAGE, total: data.total },
          (next) => go("customers", { q: q.value.trim(), page: String(next) })));
    } catch (error) {
      if (id !== loadId) return;
      replaceChildren(results);
      alert.error(ctx, error);
    }
  }

  main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("customers.title")), count),
    h("form", { class: "panel inline-form", role: "search",
      on: { submit: (e) => { e.preventDefault(); go("customers", { q: q.value.trim() }); } } },
    field(t("customers.q"), q),
    h("button", { type: "submit", class: "btn btn-primary" }, t("search"))),
    alert.node,
    results,
  );
  load(route.query);
  return { update: (next) => load(next.query) };
}

export function mountDetail(ctx, route, main) {
  const { t, i18n } = ctx;
  const customerId = Number(route.path[1]);
  const body = h("div", {}, loading(ctx));
  const heading = h("h1", {}, "…");
  const newTicket = h("a", { class: "btn", href: hrefFor("new") }, t("nav.new"));
  main.append(
    h("p", { class: "crumbs" }, h("a", { href: hrefFor("customers") }, t("customer.back"))),
    h("div", { class: "page-head" }, heading, newTicket),
    body,
  );

  (async () => {
    let customer;
    let tickets;
    try {
      [customer, tickets] = await Promise.all([
        ctx.api.get(`/api/customers/${customerId}`),
        ctx.api.get("/api/tickets", { customer_id: customerId, per_page: 50, sort: "-updated" }),
      ]);
    } catch (error) {
      showLoadError(ctx, body, error);
      return;
    }
    replaceChildren(heading, userText("span", customer.name || customer.email));
    newTicket.setAttribute("href", hrefFor("new", { email: customer.email }));
    const services = customer.services.map((s) => [
      i18n.tEnum("service", s.kind),
      userText("span", s.label),
      [h("span", { class: s.status === "active" ? "badge badge-ok" : "badge badge-warning" },
        i18n.tEnum("servicestatus", s.status)),
      s.status_reason ? userText("div", s.status_reason, "muted small") : null],
      s.resources.length ? h("ul", { class: "plain-list" },
        s.resources.map((r) => h("li", {}, userText("span", r, "mono")))) : t("none"),
    ]);
    const ticketRows = tickets.items.map((tk) => [
      h("span", { class: "mono" }, tk.number),
      { class: "subject", td: h("a", { href: hrefFor(`tickets/${tk.id}`) },
        userText("span", tk.subject)) },
      statusBadge(ctx, tk.status),
      priorityBadge(ctx, tk.priority),
      h("time", { datetime: tk.updated_at }, formatDate(tk.updated_at, i18n.lang)),
    ]);
    replaceChildren(body,
      h("section", { class: "panel" },
        h("dl", { class: "facts" },
          h("dt", {}, t("col.email")), h("dd", {}, userText("span", customer.email)),
          h("dt", {}, t("col.company")), h("dd", {}, userText("span", customer.company || t("none"))),
          h("dt", {}, t("col.language")), h("dd", {}, i18n.tEnum("lang", customer.language)),
          h("dt", {}, t("col.support")), h("dd", {},
            h("span", { class: customer.support_status === "active" ? "badge badge-ok"
              : "badge badge-danger" }, i18n.tEnum("support", customer.support_status)),
            customer.support_suspended_until ? [" ", t("customer.suspended_until",
              { date: formatDate(customer.support_suspended_until, i18n.lang) })] : null),
        ),
        customer.provisional ? h("p", { class: "badge badge-warning" }, t("customer.provisional"))
          : null),
      h("h2", {}, t("customer.services")),
      table(ctx, ["col.kind", "col.label", "col.status", "col.resources"], services,
        { caption: t("customer.services"), emptyText: t("customer.no_services") }),
      h("h2", { class: "spaced" }, t("customer.tickets"), " ",
        h("span", { class: "muted" }, `(${tickets.total})`)),
      table(ctx, ["col.number", "col.subject", "col.status", "col.priority", "col.updated"],
        ticketRows, { caption: t("customer.tickets"), emptyText: t("queue.empty") }),
    );
  })();
  return null;
}
