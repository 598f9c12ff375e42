// Small pieces shared by the console's views.

import { h, replaceChildren } from "../common/dom.js";

export const STATUSES = ["new", "open", "pending", "resolved", "closed"];
export const PRIORITIES = ["low", "normal", "high", "urgent"];
export const CATEGORIES = ["technical", "billing", "sales", "account", "abuse", "other"];
export const OUTCOMES = [
  "pending", "ticket_created", "reply_threaded", "auto_reply", "bounce", "mailing_list", "loop",
  "empty", "duplicate", "unparseable",
];

export const FLAGS = ["any", "none", "spam", "harassment", "abuse_report"];

/** The classifier's flag on a ticket or a message: spam, harassment, abuse_report. */
export function flagBadge(ctx, label) {
  return h("span", { class: `badge badge-flag badge-flag-${label}`, title: ctx.t("flag.title") },
    ctx.t(`flag.${label}`));
}

export function statusBadge(ctx, status) {
  return h("span", { class: `badge badge-status-${status}` }, ctx.i18n.tEnum("status", status));
}

export function priorityBadge(ctx, priority) {
  return h("span", { class: `badge badge-priority-${priority}` },
    ctx.i18n.tEnum("priority", priority));
}

export function ticketNumber(id) {
  return `T${String(id).padStart(6, "0")}`;
}

/** Parse "T000042", "#42", "42" -> 42, or null. */
export function parseTicketRef(text) {
  const match = /^\s*#?T?0*(\d{1,9})\s*$/i.exec(text || "");
  return match ? Number(match[1]) : null;
}

/** An error/success region at the top of a view. */
export function alertBox() {
  const node = h("div", { class: "alert", role: "alert", "aria-live": "assertive" });
  node.hidden = true;
  return {
    node,
    error(ctx, error) {
      node.className = "alert alert-error";
      node.textContent = ctx.errorText(error);
      node.hidden = false;
    },
    errorMessage(text) {
      node.className = "alert alert-error";
      node.textContent = text;
      node.hidden = false;
    },
    success(text) {
      node.className = "alert alert-success";
      node.textContent = text;
      node.hidden = false;
    },
    info(text) {
      node.className = "alert alert-info";
      node.textContent = text;
      node.hidden = false;
    },
    clear() {
      node.textContent = "";
      node.hidden = true;
    },
  };
}

/** A table: headers are translated keys, rows are arrays of cells (nodes/strings/{cell}). */
export function table(ctx, headers, rows, { caption, emptyText } = {}) {
  if (!rows.length) return h("div", { class: "table-wrap" }, h("p", { class: "empty" }, emptyText));
  return h("div", { class: "table-wrap" },
    h("table", {},
      caption ? h("caption", { class: "visually-hidden" }, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((key) => h("th", { scope: "col" }, ctx.t(key))))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => {
        if (cell && cell.td) return h("td", { class: cell.class }, cell.td);
        return h("td", {}, cell);
      })))),
    ));
}

/** Previous / next with "Page x of y"; `goTo(page)` is called with the new page. */
export function pager(ctx, { page, perPage, total }, goTo) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (pages <= 1) return null;
  return h("nav", { class: "pager", "aria-label": ctx.t("pager.label") },
    h("button", {
      type: "button", class: "btn btn-small", disabled: page <= 1,
      on: { click: () => goTo(page - 1) },
    }, ctx.t("previous")),
    h("span", {}, ctx.t("pager.page", { page, pages })),
    h("button", {
      type: "button", class: "btn btn-small", disabled: page >= pages,
      on: { click: () => goTo(page + 1) },
    }, ctx.t("next")),
  );
}

export function loading(ctx) {
  return h("p", { class: "spinner", role: "status" }, ctx.t("loading"));
}

/** Replace a container's content with an error message (for a failed page load). */
export function showLoadError(ctx, container, error) {
  replaceChildren(container, h("div", { class: "alert alert-error", role: "alert" },
    ctx.errorText(error)));
}

/** Run an async action with a button disabled meanwhile. */
export async function busy(button, action) {
  const buttons = Array.isArray(button) ? button : [button];
  for (const b of buttons) b.disabled = true;
  try {
    return await action();
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}
