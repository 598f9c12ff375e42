// The agent login form.

import { h, field } from "../../common/dom.js";
import { go } from "../../common/router.js";
import { alertBox } from "../widgets.js";

export function mount(ctx, route, main) {
  const alert = alertBox();
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", {
    type: "password", name: "password", autocomplete: "current-password", required: true,
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, ctx.t("login.submit"));

  async function onSubmit(event) {
    event.preventDefault();
    alert.clear();
    submit.disabled = true;
    submit.textContent = ctx.t("login.busy");
    try {
      const me = await ctx.api.post("/api/auth/login", {
        email: email.value.trim(),
        password: password.value,
      });
      ctx.signedIn(me);
      let next = null;
      try {
        next = sessionStorage.getItem("guichet.agent.next");
        sessionStorage.removeItem("guichet.agent.next");
      } catch {
        /* ignore */
      }
      if (next && !next.startsWith("login")) window.location.hash = `#/${next}`;
      else go("queue");
    } catch (error) {
      alert.error(ctx, error);
      password.select();
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = ctx.t("login.submit");
    }
  }

  main.append(
    h("section", { class: "login-card panel" },
      h("h1", {}, ctx.t("login.title")),
      h("p", { class: "muted" }, ctx.t("login.intro")),
      alert.node,
      h("form", { on: { submit: onSubmit }, novalidate: false },
        field(ctx.t("login.email"), email),
        field(ctx.t("login.password"), password),
        h("div", { class: "actions" }, submit),
      ),
    ),
  );
  email.focus();
  return null;
}
