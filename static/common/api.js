// JSON API client: same-origin cookies, the CSRF header on every non-GET, and errors that
// carry the API's own `message` so the page can show it.

export class ApiError extends Error {
  constructor(status, code, message, fieldErrors = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  /** The message with the field errors the API listed, ready to show. */
  get detail() {
    const fields = this.fieldErrors
      .map((e) => (e.field && e.field !== "body" ? `${e.field}: ${e.message}` : e.message))
      .filter(Boolean);
    return fields.length ? `${this.message} (${fields.join("; ")})` : this.message;
  }
}

export function createApi({ onUnauthorized, networkMessage }) {
  let csrf = null;

  async function request(method, path, body, params) {
    let url = path;
    if (params) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (v !== undefined && v !== null && v !== "") query.append(key, String(v));
        }
      }
      const qs = query.toString();
      if (qs) url += `?${qs}`;
    }
    const headers = { Accept: "application/json" };
    if (method !== "GET") {
      headers["X-CSRF-Token"] = csrf || "";
    }
    const init = { method, headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, "network_error", networkMessage());
    }
    let data = null;
    const type = response.headers.get("content-type") || "";
    if (type.startsWith("application/json")) {
      try {
        data = await response.json();
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const error = new ApiError(
        response.status,
        (data && data.code) || "http_error",
        (data && data.message) || `HTTP ${response.status}`,
        (data && data.errors) || [],
      );
      if (response.status === 401 && onUnauthorized) onUnauthorized(error, path);
      throw error;
    }
    return data;
  }

  return {
    setCsrf(token) {
      csrf = token;
    },
    get: (path, params) => request("GET", path, undefined, params),
    post: (path, body) => request("POST", path, body ?? {}),
    patch: (path, body) => request("PATCH", path, body),
  };
}
