// Open a ticket on a customer's behalf (phone call, walk-in).

import { h, field, markFieldErrors, select } from "../../common/dom.js";
import { go } from "../../common/router.js";
import { CATEGORIES, PRIORITIES, alertBox, busy } from "../widgets.js";

export function mount(ctx, route, main) {
  const { t, i18n } = ctx;
  const alert = alertBox();
  const email = h("input", { type: "email", name: "customer_email", required: true,
    autocomplete: "off", value: route.query.get("email") || "" });
  const subject = h("input", { type: "text", name: "subject", required: true, maxlength: "250" });
  const body = h("textarea", { name: "body", required: true, rows: "8" });
  const category = select({ name: "category" },
    CATEGORIES.map((c) => [c, i18n.tEnum("category", c)]), "other");
  const priority = select({ name: "priority" },
    PRIORITIES.map((p) => [p, i18n.tEnum("priority", p)]), "normal");
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("new.submit"));
  const form = h("form", { class: "panel narrow", on: { submit: onSubmit } },
    field(t("new.email"), email),
    field(t("new.subject"), subject),
    field(t("new.body"), body),
    h("div", { class: "form-row" }, field(t("ticket.category"), category),
      field(t("ticket.priority"), priority)),
    h("div", { class: "actions" }, submit),
  );

  async function onSubmit(event) {
    event.preventDefault();
    alert.clear();
    await busy(submit, async () => {
      try {
        const ticket = await ctx.api.post("/api/tickets", {
          customer_email: email.value.trim(),
          subject: subject.value,
          body: body.value,
          category: category.value,
          priority: priority.value,
        });
        go(`tickets/${ticket.id}`);
      } catch (error) {
        alert.error(ctx, error);
        markFieldErrors(form, error);
      }
    });
  }

  main.append(
    h("div", { class: "page-head" }, h("h1", {}, t("new.title"))),
    alert.node,
    form,
  );
  return null;
}
