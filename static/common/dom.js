// Building DOM nodes without ever parsing markup: every piece of text goes through
// createTextNode / textContent, so user-provided strings always display as text.

const FORBIDDEN_ATTRIBUTES = /^(on|style$|srcdoc$|formaction$)/i;

/**
 * h("a", {href: "#/x", class: "link", on: {click: fn}}, "text", childNode, [more])
 * `text` sets textContent; `dataset` sets data-*; booleans toggle attributes.
 * Attributes are never taken from untrusted input for `href`/`src`: callers build them
 * from numeric ids only.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "on") {
      for (const [type, handler] of Object.entries(value)) node.addEventListener(type, handler);
    } else if (name === "text") {
      node.textContent = String(value);
    } else if (name === "class") {
      node.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    } else if (name === "dataset") {
      for (const [key, v] of Object.entries(value)) node.dataset[key] = String(v);
    } else if (name === "value") {
      node.value = String(value);
    } else if (name === "checked" || name === "selected" || name === "disabled") {
      node[name] = Boolean(value);
    } else {
      if (FORBIDDEN_ATTRIBUTES.test(name)) throw new Error(`refusing attribute ${name}`);
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replaceChildren(node, ...children) {
  clear(node);
  return append(node, children);
}

/** A <select> from [value, label] pairs. */
export function select(attrs, options, current) {
  const node = h("select", attrs);
  for (const [value, label] of options) {
    node.append(h("option", { value, selected: String(value) === String(current ?? "") }, label));
  }
  return node;
}

/** A labelled form field: <div class="field"><label for=id>…</label>control</div>. */
let fieldCounter = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++fieldCounter}`;
  const hintNode = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintNode);
}

/** Text written by a user or a mail sender, isolated for bidi (RTL overrides stay inside). */
export function userText(tag, value, extraClass) {
  return h(tag, { class: ["user-text", extraClass], dir: "auto", text: value ?? "" });
}

/** Flag the controls an API validation error names (aria-invalid) and focus the first one. */
export function markFieldErrors(form, error) {
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  let first = null;
  for (const item of (error && error.fieldErrors) || []) {
    const name = String(item.field || "").split(".")[0];
    const control = name ? form.elements.namedItem(name) : null;
    if (control instanceof Element) {
      control.setAttribute("aria-invalid", "true");
      first = first || control;
    }
  }
  if (first) first.focus();
}
