// A small, forgiving MIME reader for the Mailbox page: headers (RFC 2047 words decoded),
// the readable text part and the list of attachments. It never builds markup: an HTML-only
// mail is turned into plain text through an inert DOMParser document.

const MAX_DEPTH = 8;

function decoderFor(charset) {
  try {
    return new TextDecoder((charset || "utf-8").trim().toLowerCase(), { fatal: false });
  } catch {
    return new TextDecoder("utf-8", { fatal: false });
  }
}

function latin1Bytes(text) {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function base64Bytes(text) {
  let clean = text.replace(/[^A-Za-z0-9+/]/g, "");
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  try {
    return latin1Bytes(atob(clean + "=".repeat((4 - (clean.length % 4)) % 4)));
  } catch {
    return null;
  }
}

function quotedPrintableBytes(text, { header = false } = {}) {
  const source = header ? text.replace(/_/g, " ") : text.replace(/=\r?\n/g, "");
  const out = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i];
    if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(source.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const byte of utf8.encode(ch)) out.push(byte);
    }
  }
  return new Uint8Array(out);
}

/** Decode RFC 2047 encoded words ("=?utf-8?B?...?=") in a header value. */
export function decodeHeader(value) {
  return String(value || "")
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (match, charset, encoding, text) => {
      const bytes = encoding.toUpperCase() === "B"
        ? base64Bytes(text) : quotedPrintableBytes(text, { header: true });
      return bytes ? decoderFor(charset.split("*")[0]).decode(bytes) : match;
    });
}

function splitHeadersAndBody(raw) {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return [raw, ""];
  return [raw.slice(0, match.index), raw.slice(match.index + match[0].length)];
}

function parseHeaders(block) {
  const headers = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
    } else {
      const colon = line.indexOf(":");
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
  }
  return headers;
}

function headerValue(headers, name) {
  const found = headers.find((h) => h.name.toLowerCase() === name);
  return found ? found.value : "";
}

function parseParams(value) {
  const [type, ...rest] = value.split(";");
  const params = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    params[key] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(body, encoding, charset) {
  const kind = (encoding || "").trim().toLowerCase();
  if (kind === "base64") {
    const bytes = base64Bytes(body);
    return bytes ? { bytes, text: decoderFor(charset).decode(bytes) } : { bytes: null, text: body };
  }
  if (kind === "quoted-printable") {
    const bytes = quotedPrintableBytes(body);
    return { bytes, text: decoderFor(charset).decode(bytes) };
  }
  return { bytes: null, text: body };
}

function walk(raw, depth, found) {
  const [headerBlock, body] = splitHeadersAndBody(raw);
  const headers = parseHeaders(headerBlock);
  const contentType = parseParams(headerValue(headers, "content-type") || "text/plain");
  const disposition = parseParams(headerValue(headers, "content-disposition") || "");
  const encoding = headerValue(headers, "content-transfer-encoding");
  if (contentType.type.startsWith("multipart/") && contentType.params.boundary && depth < MAX_DEPTH) {
    const boundary = `--${contentType.params.boundary}`;
    const pieces = body.split(boundary).slice(1);
    for (const piece of pieces) {
      if (piece.startsWith("--")) break;
      walk(piece.replace(/^\r?\n/, ""), depth + 1, found);
    }
    return headers;
  }
  const filename = decodeHeader(disposition.params.filename || contentType.params.name || "");
  const isAttachment = disposition.type === "attachment" || Boolean(filename);
  const decoded = decodeBody(body, encoding, contentType.params.charset);
  if (!isAttachment && contentType.type === "text/plain" && found.text === null) {
    found.text = decoded.text;
  } else if (!isAttachment && contentType.type === "text/html" && found.html === null) {
    found.html = decoded.text;
  } else if (depth > 0 || isAttachment) {
    found.attachments.push({
      filename: filename || "", type: contentType.type,
      size: decoded.bytes ? decoded.bytes.length : body.length,
    });
  }
  return headers;
}

function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const node of doc.querySelectorAll("script, style, head")) node.remove();
  for (const br of doc.querySelectorAll("br")) br.replaceWith("\n");
  for (const block of doc.querySelectorAll("p, div, li, tr, h1, h2, h3, h4")) block.append("\n");
  return (doc.body ? doc.body.textContent : "").replace(/\n{3,}/g, "\n\n").trim();
}

/** {headers: {from,to,cc,subject,date}, text, fromHtml, attachments} of a raw RFC 5322 mail. */
export function readMail(raw) {
  const found = { text: null, html: null, attachments: [] };
  const headers = walk(String(raw || ""), 0, found);
  let text = found.text;
  let fromHtml = false;
  if (text === null && found.html !== null) {
    text = htmlToText(found.html);
    fromHtml = true;
  }
  const pick = (name) => decodeHeader(headerValue(headers, name));
  return {
    headers: {
      from: pick("from"), to: pick("to"), cc: pick("cc"), subject: pick("subject"),
      date: pick("date"),
    },
    text: text ?? "",
    fromHtml,
    attachments: found.attachments,
  };
}
