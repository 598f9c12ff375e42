// The ticket queue: filters kept in the URL hash, per-status counts, sort and pagination.

import { h, field, replaceChildren, select, userText } from "../../common/dom.js";
import { formatDate } from "../../common/i18n.js";
import { go, hrefFor } from "../../common/router.js";
import {
  CATEGORIES, FLAGS, PRIORITIES, STATUSES, alertBox, flagBadge, loading, pager, priorityBadge, statusBadge, table,
} from "../widgets.js";

const DEFAULT_STATUSES = ["new", "open", "pending"];
const SORTS = ["-updated", "updated", "-created", "created", "priority"];
const PER_PAGE = 25;

/** The filters a route asks for; an empty query means the default working queue. */
export function filtersOf(query) {
  const empty = [...query.keys()].length === 0;
  return {
    status: empty ? DEFAULT_STATUSES : query.getAll("status").filter((s) => STATUSES.includes(s)),
    assignee: query.get("assignee") || "",
    priority: query.get("priority") || "",
    category: query.get("category") || "",
    flag: FLAGS.includes(query.get("flag")) ? query.get("flag") : "",
    tag: query.get("tag") || "",
    q: query.get("q") || "",
    sort: SORTS.includes(query.get("sort")) ? query.get("sort") : "-updated",
    page: Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1),
  };
}

function queryOf(filters) {
  const pairs = [];
  for (const status of filters.status) pairs.push(["status", status]);
  for (const key of ["assignee", "priority", "category", "flag", "tag", "q"]) {
    if (filters[key]) pairs.push([key, filters[key]]);
  }
  pairs.push(["sort", filters.sort]);
  if (filters.page > 1) pairs.push(["page", String(filters.page)]);
  return pairs;
}

function apiParams(filters) {
  return {
    status: filters.status,
    assignee: filters.assignee || undefined,
    priority: filters.priority || undefined,
    category: filters.category || undefined,
    flag: filters.flag || undefined,
    tag: filters.tag.trim() || undefined,
    q: filters.q.trim() || undefined,
    sort: filters.sort,
    page: filters.page,
    per_page: PER_PAGE,
  };
}

export function mount(ctx, route, main) {
  const { t, i18n } = ctx;
  let filters = filtersOf(route.query);
  let loadId = 0;
  const alert = alertBox();
  const count = h("p", { class: "queue-count", role: "status" });
  const results = h("div", { class: "queue-results" });

  const statusBoxes = STATUSES.map((status) => {
    const box = h("input", { type: "checkbox", name: "status", value: status });
    const countNode = h("span", { class: "count" });
    box.addEventListener("change", () => apply({ page: 1 }));
    return { status, box, countNode,
      label: h("label", {}, box, i18n.tEnum("status", status), countNode) };
  });
  const assignee = select({ name: "assignee" }, [
    ["", t("queue.assignee.any")], ["me", t("queue.assignee.me")], ["none", t("queue.assignee.none")],
  ]);
  const priority = select({ name: "priority" },
    [["", t("queue.any")], ...PRIORITIES.map((p) => [p, i18n.tEnum("priority", p)])]);
  const category = select({ name: "category" },
    [["", t("queue.any")], ...CATEGORIES.map((c) => [c, i18n.tEnum("category", c)])]);
  const flag = select({ name: "flag" },
    [["", t("queue.any")], ...FLAGS.map((f) => [f, t(`queue.flag.${f}`)])]);
  const sort = select({ name: "sort" }, SORTS.map((s) => [s, t(`queue.sort.${s}`)]));
  const tag = h("input", { type: "text", name: "tag", autocomplete: "off", maxlength: "50" });
  const q = h("input", {
    type: "search", name: "q", autocomplete: "off", maxlength: "200", dataset: { shortcut: "search" },
  });
  for (const control of [assignee, priority, category, flag, sort]) {
    control.addEventListener("change", () => apply({ page: 1 }));
  }

  function readForm() {
    return {
      status: statusBoxes.filter((s) => s.box.checked).map((s) => s.status),
      assignee: assignee.value,
      priority: priority.value,
      category: category.value,
      flag: flag.value,
      tag: tag.value.trim(),
      q: q.value.trim(),
      sort: sort.value,
      page: filters.page,
    };
  }

  function writeForm() {
    for (const s of statusBoxes) s.box.checked = filters.status.includes(s.status);
    assignee.value = filters.assignee;
    priority.value = filters.priority;
    category.value = filters.category;
    flag.value = filters.flag;
    sort.value = filters.sort;
    tag.value = filters.tag;
    q.value = filters.q;
  }

  function apply(overrides = {}) {
    go("queue", queryOf({ ...readForm(), ...overrides }));
  }

  function reset() {
    go("queue", queryOf({
      status: DEFAULT_STATUSES, assignee: "", priority: "", category: "", flag: "", tag: "", q: "",
      sort: "-updated", page: 1,
    }));
  }

  // Agents known for the assignee filter (names, after the fixed choices).
  ctx.agents().then((agents) => {
    for (const agent of agents) {
      if (agent.id === ctx.me.id) continue;
      assignee.append(h("option", { value: String(agent.id) }, agent.name || agent.email));
    }
    assignee.value = filters.assignee;
  }).catch(() => {});

  async function load() {
    const id = ++loadId;
    alert.clear();
    replaceChildren(results, loading(ctx));
    const params = apiParams(filters);
    let totals = {};
    try {
      const data = await ctx.api.get("/api/tickets", params);
      if (id !== loadId) return;
      count.textContent = t("queue.count", { n: data.total });
      totals = data.counts_by_status || {};
      renderResults(data);
    } catch (error) {
      if (id !== loadId) return;
      count.textContent = "";
      replaceChildren(results);
      alert.error(ctx, error);
    }
    // One request gives the counts per status under the same filters.
    statusBoxes.forEach((s) => {
      const n = totals[s.status];
      s.countNode.textContent = n === undefined ? "" : ` (${n})`;
    });
  }

  function renderResults(data) {
    const rows = data.items.map((ticket) => [
      { td: h("a", { href: hrefFor(`tickets/${ticket.id}`), class: "mono", tabindex: "-1" }, ticket.number) },
      { class: "subject", td: h("a", { href: hrefFor(`tickets/${ticket.id}`) },
        userText("span", ticket.subject)) },
      [userText("span", ticket.customer.name || ticket.customer.email),
        ticket.customer.name ? h("div", { class: "muted small" },
          userText("span", ticket.customer.email)) : null],
      [statusBadge(ctx, ticket.status),
        ticket.screening_flag ? [" ", flagBadge(ctx, ticket.screening_flag)] : null],
      priorityBadge(ctx, ticket.priority),
      ticket.assignee ? userText("span", ticket.assignee.name) : h("span", { class: "muted" }, t("none")),
      ticket.tags.map((name) => h("a", { class: "tag",
        href: hrefFor("queue", [["tag", name], ["sort", filters.sort]]) }, userText("span", name))),
      h("time", { datetime: ticket.updated_at, class: "nowrap" }, formatDate(ticket.updated_at, i18n.lang)),
    ]);
    replaceChildren(results,
      table(ctx, ["col.number", "col.subject", "col.customer", "col.status", "col.priority",
        "col.assignee", "col.tags", "col.updated"], rows,
      { caption: t("queue.title"), emptyText: t("queue.empty") }),
      pager(ctx, { page: data.page, perPage: data.per_page, total: data.total },
        (page) => apply({ page })),
    );
  }

  const form = h("form", { class: "panel filters", role: "search", "aria-label": t("queue.filters"),
    on: { submit: (event) => { event.preventDefault(); apply({ page: 1 }); } } },
  h("fieldset", { class: "filter-status" },
    h("legend", {}, t("queue.status")),
    h("div", { class: "checks" }, statusBoxes.map((s) => s.label))),
  h("div", { class: "filter-grid" },
    field(t("queue.q"), q, t("queue.q.hint")),
    field(t("queue.assignee"), assignee),
    field(t("queue.priority"), priority),
    field(t("queue.category"), category),
    field(t("queue.flag"), flag),
    field(t("queue.tag"), tag),
    field(t("queue.sort"), sort),
  ),
  h("div", { class: "actions" },
    h("button", { type: "submit", class: "btn btn-primary" }, t("queue.apply")),
    h("button", { type: "button", class: "btn", on: { click: reset } }, t("queue.reset")),
  ),
  );

  main.append(
    h("div", { class: "page-head" },
      h("h1", {}, t("queue.title")),
      count,
      h("a", { class: "btn", href: hrefFor("new") }, t("nav.new")),
    ),
    form,
    alert.node,
    results,
  );
  writeForm();
  load();

  return {
    update(next) {
      filters = filtersOf(next.query);
      writeForm();
      load();
    },
  };
}
