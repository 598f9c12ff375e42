// One ticket: the thread, the composer (reply / internal note), properties, tags, merge, audit.

import { h, field, replaceChildren, select, userText } from "../../common/dom.js";
import { formatDate } from "../../common/i18n.js";
import { go, hrefFor } from "../../common/router.js";
import {
  CATEGORIES, PRIORITIES, STATUSES, alertBox, busy, flagBadge, loading, parseTicketRef,
  priorityBadge,
  showLoadError, statusBadge, ticketNumber,
} from "../widgets.js";

/** How a message is shown: customer, agent reply, internal note, system or third party. */
export function messageKind(message) {
  if (message.author_kind === "system") return "system";
  if (message.visibility === "internal") return "internal";
  return message.author_kind;
}

export function messageNode(ctx, message, { agents = [] } = {}) {
  const kind = messageKind(message);
  const label = ctx.i18n.tEnum("author", kind);
  // Agents' messages carry the agent's e-mail; show the name the team knows them by.
  const agent = message.author_kind === "agent"
    ? agents.find((a) => a.email === message.author) : null;
  const author = agent ? agent.name || agent.email : message.author || "";
  return h("li", { class: `msg msg-${kind}`, dataset: { messageId: message.id, kind } },
    h("article", { "aria-label": `${label}${author ? ` — ${author}` : ""}` },
      h("header", { class: "msg-head" },
        h("span", { class: "msg-kind" }, label),
        author ? userText("span", author, "msg-author") : null,
        h("time", { datetime: message.created_at }, formatDate(message.created_at, ctx.i18n.lang)),
        message.inbound_mail_id ? h("span", { class: "muted" }, ctx.t("ticket.in_reply")) : null,
      ),
      userText("div", message.body, "msg-body"),
      screeningNode(ctx, message.screening),
    ));
}

/** Why the classifier flagged a message: its label, score and the words that drove it. */
function screeningNode(ctx, screening) {
  if (!screening || !screening.flagged) return null;
  const score = Math.round((screening.scores[screening.label] || 0) * 100);
  const words = (screening.explanation || []).map(([term]) => term).join(", ");
  return h("p", { class: "msg-screening" },
    flagBadge(ctx, screening.label), " ",
    ctx.t("flag.why", { score }), " ",
    words ? userText("span", words, "msg-screening-words") : null);
}

const AUDIT_ENUMS = { status: "status", priority: "priority", category: "category",
  channel: "channel" };

function auditValue(ctx, key, value, agents) {
  if (value === null || value === undefined || value === "") return ctx.t("none");
  if (Array.isArray(value)) return value.length ? value.join(", ") : ctx.t("none");
  if (typeof value === "object") return JSON.stringify(value);
  if (AUDIT_ENUMS[key]) return ctx.i18n.tEnum(AUDIT_ENUMS[key], value);
  if (key === "assignee_id") {
    const agent = agents.find((a) => a.id === value);
    if (agent) return agent.name || agent.email;
  }
  return String(value);
}

export function mount(ctx, route, main) {
  const { t, i18n, api } = ctx;
  const ticketId = Number(route.path[1]);
  const alert = alertBox();
  let ticket = null;
  let agents = [];

  const heading = h("h1", { class: "ticket-title" }, ticketNumber(ticketId));
  const badges = h("div", { class: "ticket-badges" });
  const mergedBanner = h("div");
  const thread = h("ol", { class: "thread", "aria-label": t("ticket.thread") });
  const sidebar = h("div", { class: "ticket-side" });
  const auditList = h("div");
  const body = h("div", { class: "ticket-layout" });

  // ---- Composer (kept across re-renders so a draft is never lost) ----
  let mode = "reply";
  const textarea = h("textarea", { name: "body", rows: "8", maxlength: "100000" });
  const textareaField = field(t("ticket.reply_label"), textarea, t("ticket.shortcut"));
  const textareaLabel = textareaField.querySelector("label");
  const sendButton = h("button", { type: "button", class: "btn btn-primary",
    on: { click: () => sendReply(null) } }, t("ticket.send"));
  const sendPending = h("button", { type: "button", class: "btn",
    on: { click: () => sendReply("pending") } }, t("ticket.send_pending"));
  const sendResolved = h("button", { type: "button", class: "btn",
    on: { click: () => sendReply("resolved") } }, t("ticket.send_resolved"));
  const noteButton = h("button", { type: "button", class: "btn btn-primary btn-note",
    on: { click: addNote } }, t("ticket.add_note"));
  noteButton.hidden = true;
  const composerButtons = [sendButton, sendPending, sendResolved, noteButton];
  const modeRadios = ["reply", "note"].map((value) => {
    const radio = h("input", { type: "radio", name: `mode-${ticketId}`, value,
      checked: value === mode, on: { change: () => setMode(value) } });
    return h("label", {}, radio, t(`ticket.mode.${value}`));
  });
  const composer = h("section", { class: "panel composer", "aria-labelledby": "composer-title" },
    h("h2", { id: "composer-title" }, t("ticket.composer")),
    h("fieldset", { class: "mode" }, h("legend", { class: "visually-hidden" }, t("ticket.mode")),
      h("div", { class: "checks" }, modeRadios)),
    textareaField,
    h("div", { class: "actions" }, composerButtons),
  );
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (mode === "note") addNote();
      else sendReply(null);
    }
  });

  function setMode(value) {
    mode = value;
    composer.classList.toggle("composer-note", mode === "note");
    textareaLabel.textContent = t(mode === "note" ? "ticket.note_label" : "ticket.reply_label");
    sendButton.hidden = sendPending.hidden = sendResolved.hidden = mode === "note";
    noteButton.hidden = mode !== "note";
  }

  async function sendReply(statusAfter) {
    alert.clear();
    const payload = { body: textarea.value };
    if (statusAfter) payload.status_after = statusAfter;
    await busy(composerButtons, async () => {
      try {
        await api.post(`/api/tickets/${ticketId}/replies`, payload);
        textarea.value = "";
        ctx.toast(t("ticket.sent"));
        await reload();
      } catch (error) {
        alert.error(ctx, error);
      }
    });
    textarea.focus();
  }

  async function addNote() {
    alert.clear();
    await busy(composerButtons, async () => {
      try {
        await api.post(`/api/tickets/${ticketId}/notes`, { body: textarea.value });
        textarea.value = "";
        ctx.toast(t("ticket.noted"));
        await reload();
      } catch (error) {
        alert.error(ctx, error);
      }
    });
    textarea.focus();
  }

  // ---- Changes to the ticket ----
  async function patch(changes) {
    alert.clear();
    try {
      ticket = await api.patch(`/api/tickets/${ticketId}`, changes);
      ctx.toast(t("saved"));
    } catch (error) {
      alert.error(ctx, error);
    }
    render();
    refreshAudit();
  }

  function clearFlag() {
    // The classifier was wrong: the agent clears the flag (audited).
    patch({ screening_flag: null });
  }

  // ---- Rendering ----
  function render() {
    const focusKey = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.focusKey : null;
    replaceChildren(heading, h("span", { class: "mono ticket-number" }, ticket.number), " ",
      userText("span", ticket.subject, "ticket-subject"));
    document.title = `${ticket.number} — Guichet`;
    replaceChildren(badges, statusBadge(ctx, ticket.status), priorityBadge(ctx, ticket.priority),
      h("span", { class: "badge" }, i18n.tEnum("category", ticket.category)),
      h("span", { class: "badge" }, i18n.tEnum("channel", ticket.channel)),
      ticket.screening_flag ? flagBadge(ctx, ticket.screening_flag) : null,
      ticket.screening_flag ? h("button", { type: "button", class: "btn btn-small",
        on: { click: clearFlag } }, t("flag.clear")) : null);
    replaceChildren(mergedBanner, ticket.merged_into ? h("div", { class: "alert alert-info" },
      t("ticket.merged_into", { number: ticketNumber(ticket.merged_into) }), " ",
      h("a", { href: hrefFor(`tickets/${ticket.merged_into}`) },
        t("ticket.open_merged", { number: ticketNumber(ticket.merged_into) }))) : null);
    replaceChildren(thread, ticket.messages.length
      ? ticket.messages.map((m) => messageNode(ctx, m, { agents }))
      : h("li", { class: "empty" }, t("ticket.empty_thread")));
    replaceChildren(sidebar, propertiesPanel(), tagsPanel(), customerPanel(), mergePanel(),
      auditPanel());
    if (focusKey) {
      const again = main.querySelector(`[data-focus-key="${focusKey}"]`);
      if (again) again.focus();
    }
  }

  function propertiesPanel() {
    const status = select({ dataset: { focusKey: "status" } },
      STATUSES.map((s) => [s, i18n.tEnum("status", s)]), ticket.status);
    status.addEventListener("change", () => patch({ status: status.value }));
    const priority = select({ dataset: { focusKey: "priority" } },
      PRIORITIES.map((p) => [p, i18n.tEnum("priority", p)]), ticket.priority);
    priority.addEventListener("change", () => patch({ priority: priority.value }));
    const category = select({ dataset: { focusKey: "category" } },
      CATEGORIES.map((c) => [c, i18n.tEnum("category", c)]), ticket.category);
    category.addEventListener("change", () => patch({ category: category.value }));
    const assigneeOptions = [["", t("ticket.unassigned")],
      ...agents.map((a) => [String(a.id), a.name || a.email])];
    if (ticket.assignee && !agents.some((a) => a.id === ticket.assignee.id)) {
      assigneeOptions.push([String(ticket.assignee.id), ticket.assignee.name]);
    }
    const assignee = select({ dataset: { focusKey: "assignee" } }, assigneeOptions,
      ticket.assignee ? String(ticket.assignee.id) : "");
    assignee.addEventListener("change", () =>
      patch({ assignee_id: assignee.value ? Number(assignee.value) : null }));
    const assignMe = h("button", { type: "button", class: "btn btn-small",
      dataset: { focusKey: "assign-me" },
      disabled: Boolean(ticket.assignee && ticket.assignee.id === ctx.me.id),
      on: { click: () => patch({ assignee_id: ctx.me.id }) } }, t("ticket.assign_me"));
    return h("section", { class: "panel", "aria-labelledby": "props-title" },
      h("h2", { id: "props-title" }, t("ticket.properties")),
      field(t("ticket.status"), status),
      field(t("ticket.priority"), priority),
      field(t("ticket.category"), category),
      field(t("ticket.assignee"), assignee),
      h("div", { class: "actions assign-me" }, assignMe),
      h("dl", { class: "facts" },
        h("dt", {}, t("ticket.channel")), h("dd", {}, i18n.tEnum("channel", ticket.channel)),
        h("dt", {}, t("ticket.created")), h("dd", {}, formatDate(ticket.created_at, i18n.lang)),
        h("dt", {}, t("ticket.first_response")),
        h("dd", {}, ticket.first_response_at ? formatDate(ticket.first_response_at, i18n.lang)
          : t("none"))),
    );
  }

  function tagsPanel() {
    const input = h("input", { type: "text", maxlength: "50", autocomplete: "off",
      dataset: { focusKey: "tag-input" } });
    const add = (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      patch({ tags: [...ticket.tags, value] });
    };
    return h("section", { class: "panel", "aria-labelledby": "tags-title" },
      h("h2", { id: "tags-title" }, t("ticket.tags")),
      ticket.tags.length
        ? h("ul", { class: "tag-list" }, ticket.tags.map((name) => h("li", { class: "tag" },
          userText("span", name),
          h("button", { type: "button", class: "tag-remove", dataset: { focusKey: "tag-input" },
            "aria-label": t("ticket.tag_remove", { tag: name }),
            title: t("ticket.tag_remove", { tag: name }),
            on: { click: () => patch({ tags: ticket.tags.filter((x) => x !== name) }) } }, "×"))))
        : h("p", { class: "muted" }, t("ticket.no_tags")),
      h("form", { class: "inline-form", on: { submit: add } },
        field(t("ticket.tag_new"), input),
        h("button", { type: "submit", class: "btn btn-small" }, t("ticket.tag_add"))),
    );
  }

  function customerPanel() {
    const c = ticket.customer;
    return h("section", { class: "panel", "aria-labelledby": "customer-title" },
      h("h2", { id: "customer-title" }, t("ticket.customer")),
      h("dl", { class: "facts" },
        h("dt", {}, t("col.name")), h("dd", {}, userText("span", c.name || t("none"))),
        h("dt", {}, t("col.email")), h("dd", {}, userText("span", c.email)),
        c.company ? [h("dt", {}, t("col.company")), h("dd", {}, userText("span", c.company))] : null,
        h("dt", {}, t("col.language")), h("dd", {}, i18n.tEnum("lang", c.language)),
        h("dt", {}, t("col.support")), h("dd", {},
          h("span", { class: c.support_status === "active" ? "badge badge-ok" : "badge badge-danger" },
            i18n.tEnum("support", c.support_status))),
        ticket.service ? [h("dt", {}, t("ticket.service")), h("dd", {},
          userText("span", ticket.service.label), " ",
          h("span", { class: "muted" }, i18n.tEnum("service", ticket.service.kind)))] : null,
      ),
      h("p", {}, h("a", { href: hrefFor(`customers/${c.id}`) }, t("ticket.customer_open"))),
    );
  }

  function mergePanel() {
    const input = h("input", { type: "text", autocomplete: "off", placeholder: "T000042",
      dataset: { focusKey: "merge-input" } });
    const confirmBox = h("div", { class: "merge-confirm" });
    const submit = h("button", { type: "submit", class: "btn btn-small" }, t("ticket.merge"));
    function onSubmit(event) {
      event.preventDefault();
      alert.clear();
      const target = parseTicketRef(input.value);
      if (target === null) {
        alert.errorMessage(t("ticket.merge_bad"));
        input.focus();
        return;
      }
      const confirmButton = h("button", { type: "button", class: "btn btn-small btn-danger",
        on: { click: () => doMerge(target, confirmButton) } }, t("confirm"));
      replaceChildren(confirmBox,
        h("p", { role: "alert" }, t("ticket.merge_confirm",
          { source: ticket.number, target: ticketNumber(target) })),
        h("div", { class: "actions" }, confirmButton,
          h("button", { type: "button", class: "btn btn-small",
            on: { click: () => { replaceChildren(confirmBox); input.focus(); } } }, t("cancel"))));
      confirmButton.focus();
    }
    return h("section", { class: "panel", "aria-labelledby": "merge-title" },
      h("h2", { id: "merge-title" }, t("ticket.merge")),
      h("form", { class: "inline-form", on: { submit: onSubmit } },
        field(t("ticket.merge_into"), input, t("ticket.merge_hint")), submit),
      confirmBox,
    );
  }

  async function doMerge(targetId, button) {
    await busy(button, async () => {
      try {
        const target = await api.post(`/api/tickets/${ticketId}/merge`,
          { into_ticket_id: targetId });
        ctx.toast(t("ticket.merged"));
        go(`tickets/${target.id}`);
      } catch (error) {
        alert.error(ctx, error);
        alert.node.scrollIntoView({ block: "nearest" });
      }
    });
  }

  const auditDetails = h("details", { class: "panel audit" },
    h("summary", {}, h("h2", { class: "inline-heading" }, t("ticket.audit"))), auditList);
  auditDetails.addEventListener("toggle", () => {
    if (auditDetails.open) refreshAudit();
  });

  function auditPanel() {
    return auditDetails;
  }

  async function refreshAudit() {
    if (!auditDetails.open) return;
    replaceChildren(auditList, loading(ctx));
    try {
      const data = await api.get(`/api/tickets/${ticketId}/audit`);
      replaceChildren(auditList, data.items.length
        ? h("ol", { class: "audit-list" }, data.items.slice().reverse().map((event) => {
          const keys = [...new Set([...Object.keys(event.before || {}),
            ...Object.keys(event.after || {})])];
          return h("li", {},
            h("div", { class: "audit-head" },
              h("strong", {}, i18n.tEnum("action", event.action)), " · ",
              userText("span", event.actor), " · ",
              h("time", { datetime: event.at, class: "muted" }, formatDate(event.at, i18n.lang))),
            keys.length ? h("ul", { class: "audit-changes" }, keys.map((key) => h("li", {},
              h("span", { class: "mono" }, key), ": ",
              event.before && key in event.before
                ? [userText("span", auditValue(ctx, key, event.before[key], agents)), " → "]
                : null,
              userText("span", auditValue(ctx, key, (event.after || {})[key], agents)))))
              : null);
        }))
        : h("p", { class: "muted" }, t("ticket.audit_empty")));
    } catch (error) {
      showLoadError(ctx, auditList, error);
    }
  }

  async function reload() {
    ticket = await api.get(`/api/tickets/${ticketId}`);
    render();
    refreshAudit();
  }

  main.append(
    h("p", { class: "crumbs" }, h("a", { href: hrefFor("queue") }, t("ticket.back"))),
    h("div", { class: "page-head ticket-head" }, heading, badges),
    alert.node,
    body,
  );
  body.append(loading(ctx));

  (async () => {
    try {
      [ticket, agents] = await Promise.all([
        api.get(`/api/tickets/${ticketId}`),
        ctx.agents().catch(() => []),
      ]);
    } catch (error) {
      showLoadError(ctx, body, error);
      return;
    }
    replaceChildren(body,
      h("div", { class: "ticket-main" },
        mergedBanner,
        h("section", { "aria-labelledby": "thread-title", class: "thread-section" },
          h("h2", { id: "thread-title" }, t("ticket.thread")), thread),
        composer),
      sidebar);
    render();
  })();

  return null;
}
