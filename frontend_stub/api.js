// Talking to the lms-plugin API from a page: a bearer token, GraphQL documents, userErrors.
// Copy this file: it is the whole client. No build step, no library.

const TOKEN_KEY = "lms-plugin.token";

// The API lives beside the pages (`/ui/` → `/graphql`), also when a host mounts the plugin
// under a prefix.
const GRAPHQL_URL = new URL("../graphql", document.baseURI);
const UPLOAD_URL = new URL("../uploads", document.baseURI);

/** Tags a GraphQL document; the test suite validates every tagged document against the schema. */
export const gql = (strings) => strings.raw.join("");

// sessionStorage: the token lives as long as the tab, not on the device after it is closed.
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/**
 * A link `…/ui/#token=…` signs the page in once. The token rides in the fragment because a
 * browser never sends the fragment to the server, so no access log or proxy records it; the page
 * keeps it in sessionStorage and takes it out of the address bar (and so out of the history).
 */
export function takeTokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromLink = fragment.get("token");
  if (!fromLink) return;
  token.set(fromLink);
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(null, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
}

/** A top-level GraphQL error (UNAUTHENTICATED, FORBIDDEN, …) or a failed request. */
export class ApiError extends Error {
  constructor(message, code, retryable) {
    super(message);
    this.code = code;
    this.retryable = retryable; // the request may not have reached the server: send it again
  }
}

function authorization() {
  const value = token.get();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

// Documents go as their SHA-256 only (Apollo's automatic persisted queries: the server knows
// the stub's documents from its start, lms_plugin/persisted.py). crypto.subtle exists only in a
// secure context (https, localhost): elsewhere the document itself is sent, as before.
const digests = new Map(); // document → hex SHA-256; the stub's documents are a fixed few

async function sha256(query) {
  if (!globalThis.crypto?.subtle) return null;
  if (!digests.has(query)) {
    const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(query));
    const hex = Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
    digests.set(query, hex);
  }
  return digests.get(query);
}

async function post(body, keepalive) {
  let response;
  try {
    response = await fetch(GRAPHQL_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...authorization() },
      body: JSON.stringify(body),
      keepalive, // lets a request made while the page closes still reach the server
    });
  } catch (error) {
    throw new ApiError(`网络错误：${error.message}`, "NETWORK", true);
  }
  return { response, body: await response.json().catch(() => ({})) };
}

/** Runs a document; resolves to `data`, or throws ApiError. */
export async function graphql(query, variables = {}, { keepalive = false } = {}) {
  const hash = await sha256(query);
  let answer;
  if (hash) {
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    answer = await post({ variables, extensions }, keepalive);
    // A server that does not know the document (a newer stub, a host's own): send it once.
    if (answer.body.errors?.[0]?.extensions?.code === "PERSISTED_QUERY_NOT_FOUND") {
      answer = await post({ query, variables, extensions }, keepalive);
    }
  } else {
    answer = await post({ query, variables }, keepalive);
  }
  const { response, body } = answer;
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code, response.status >= 500);
  }
  if (!response.ok || !body.data) {
    throw new ApiError(`服务器错误 ${response.status}`, "HTTP", response.status >= 500);
  }
  return body.data;
}

/**
 * Runs a mutation and returns its payload (the one root field). A refusal of the rules is not an
 * exception: it comes back in `payload.userErrors` ({ code, field, message }).
 */
export async function mutate(query, variables, options) {
  const data = await graphql(query, variables, options);
  return Object.values(data)[0];
}

/** Uploads a file for a submission; resolves to the attachment ({ id, filename, … }). */
export async function upload(file) {
  const form = new FormData();
  form.append("file", file);
  const response = await fetch(UPLOAD_URL, { method: "POST", headers: authorization(), body: form });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = body.errors?.[0];
    throw new ApiError(error?.message ?? `上传失败 ${response.status}`, error?.extensions?.code);
  }
  return body;
}
