// The query API (docs/QUERY-API.md): paths and JSON fetches. Every URL the API returns is
// already an absolute, encoded path and is used as is.

const BASE = '/api/v1';
const enc = encodeURIComponent;

/** An API failure, with the server's error_code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(`${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

/** GETs JSON; throws ApiError with the body's error_code/message on 4xx/5xx. */
export async function getJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) query.set(k, v);
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw await apiError(response);
  return response.json();
}

async function apiError(response) {
  try {
    const body = await response.json();
    return new ApiError(response.status, body.error_code || 'error', body.message || response.statusText);
  } catch {
    return new ApiError(response.status, 'error', response.statusText);
  }
}

export const paths = {
  projects: () => `${BASE}/projects`,
  runs: (p) => `${BASE}/projects/${enc(p)}/runs`,
  run: (p, r) => `${BASE}/projects/${enc(p)}/runs/${enc(r)}`,
  keys: (p, r) => `${paths.run(p, r)}/keys`,
  key: (p, r, k) => `${paths.keys(p, r)}/${enc(k)}`,
  steps: (p, r, k) => `${paths.key(p, r, k)}/steps`,
  items: (p, r, k) => `${paths.key(p, r, k)}/items`,
  histograms: (p, r, k) => `${paths.key(p, r, k)}/histograms`,
  session: () => `${BASE}/session`,
};

/** Every item of one step of a key, page by page (a step rarely holds more than one page). */
export async function itemsOfStep(p, r, k, step, limit = 100) {
  const items = [];
  let cursor = null;
  do {
    const page = await getJson(paths.items(p, r, k), { step, limit, cursor });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** Signs in with a read key: the server sets an HttpOnly cookie used by every later call. */
export async function signIn(key) {
  const response = await fetch(paths.session(), {
    method: 'POST', credentials: 'same-origin', headers: { Authorization: `Bearer ${key}` },
  });
  if (!response.ok) throw await apiError(response);
}
