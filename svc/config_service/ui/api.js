// The page's only way to the service: fetch with the token from sessionStorage as a Bearer
// header (never in a URL), errors turned into ApiError with the service's detail.

const TOKEN_KEY = 'config-service.token';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (text) => sessionStorage.setItem(TOKEN_KEY, text),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, detail, response) {
    super(`${status}: ${detail}`);
    this.status = status;
    this.detail = detail;
    this.response = response;
  }
}

function describe(detail) {
  if (Array.isArray(detail)) {
    return detail.map((item) => `${(item.loc || []).join('.')}: ${item.msg}`).join('; ');
  }
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

export function authorization() {
  return { Authorization: `Bearer ${token.get() || ''}` };
}

// `json`: a value to serialise, or a string that already is JSON (sent as is, so exact numbers stay exact).
export async function request(method, path, { json, headers = {}, signal } = {}) {
  const init = { method, headers: { ...authorization(), ...headers }, signal, cache: 'no-store' };
  if (json !== undefined) {
    init.body = typeof json === 'string' ? json : JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  if (text && /json/.test(response.headers.get('Content-Type') || '')) data = JSON.parse(text);
  const answer = { status: response.status, headers: response.headers, etag: response.headers.get('ETag'), text, data };
  if (!response.ok) {
    throw new ApiError(response.status, describe(data && data.detail !== undefined ? data.detail : response.statusText), answer);
  }
  return answer;
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, json, options = {}) => request('POST', path, { ...options, json });
export const put = (path, json, options = {}) => request('PUT', path, { ...options, json });
export const del = (path, options) => request('DELETE', path, options);

export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const versionOf = (etag) => (etag ? Number(/^"v(\d+)/.exec(etag)?.[1]) : null);
