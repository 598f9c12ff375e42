// A tiny translation helper: dictionaries per language, the choice kept in localStorage.

export const LANGUAGES = ["fr", "en"];

export function createI18n(dictionaries, storageKey) {
  const listeners = [];
  let lang = stored() || browserLanguage();

  function stored() {
    try {
      const value = window.localStorage.getItem(storageKey);
      return LANGUAGES.includes(value) ? value : null;
    } catch {
      return null;
    }
  }

  function browserLanguage() {
    const nav = (navigator.language || "fr").slice(0, 2).toLowerCase();
    return LANGUAGES.includes(nav) ? nav : "fr";
  }

  function apply(value) {
    if (!LANGUAGES.includes(value) || value === lang) return;
    lang = value;
    document.documentElement.lang = lang;
    for (const listener of listeners) listener(lang);
  }

  document.documentElement.lang = lang;

  return {
    get lang() {
      return lang;
    },
    /** The user's explicit choice: remembered. */
    choose(value) {
      try {
        window.localStorage.setItem(storageKey, value);
      } catch {
        /* private mode: the choice lasts for this page only */
      }
      apply(value);
    },
    /** A default from the account (agent or customer language), unless the user chose. */
    suggest(value) {
      if (!stored()) apply(value);
    },
    onChange(listener) {
      listeners.push(listener);
    },
    t(key, vars) {
      const dict = dictionaries[lang] || dictionaries.fr;
      let text = dict[key] ?? dictionaries.fr[key] ?? key;
      if (vars) {
        text = text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
      }
      return text;
    },
    /** A translated enum label, e.g. tEnum("status", "pending"); falls back to the raw value. */
    tEnum(kind, value) {
      const dict = dictionaries[lang] || dictionaries.fr;
      return dict[`${kind}.${value}`] ?? value;
    },
    /** Fill elements marked data-i18n="key" in the static page. */
    translateStatic(root = document) {
      for (const node of root.querySelectorAll("[data-i18n]")) {
        node.textContent = this.t(node.dataset.i18n);
      }
      for (const node of root.querySelectorAll("[data-i18n-label]")) {
        node.setAttribute("aria-label", this.t(node.dataset.i18nLabel));
      }
    },
  };
}

export function formatDate(value, lang) {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "fr-FR", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}

export function formatSize(bytes, lang) {
  const units = lang === "en" ? ["B", "KB", "MB"] : ["o", "Ko", "Mo"];
  let value = Number(bytes) || 0;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${value.toLocaleString(lang === "en" ? "en-GB" : "fr-FR", {
    maximumFractionDigits: digits,
  })} ${units[unit]}`;
}
