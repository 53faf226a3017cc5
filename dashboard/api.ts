/**
 * @module
 * The dashboard's only way to the control plane: the public Kubernetes API with the signed-in
 * token in `Authorization` (never a cookie). Reads are conditional: each answer's ETag is sent
 * back as `If-None-Match`, and a 304 returns the very object the last 200 did, so a view can see
 * by identity that nothing changed. Failures are the API's `Status` as an `ApiFailure`.
 */
import type { List } from "./model/types.ts";

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason = "",
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  /** Every page of a list (`limit`/`continue`), at most `max` items. */
  list<T>(path: string, params?: Record<string, string>, max?: number): Promise<{ items: T[]; truncated: boolean }>;
  send<T = unknown>(method: string, path: string, body?: string, contentType?: string): Promise<T>;
  /** A plain-text answer (pods/log), never cached; `signal` cancels the wait. */
  text(path: string, signal?: AbortSignal): Promise<string>;
}

const pageSize = 1000;

async function failure(res: Response): Promise<ApiFailure> {
  try {
    const status = (await res.json()) as { message?: string; reason?: string };
    return new ApiFailure(res.status, status.message ?? res.statusText, status.reason);
  } catch {
    return new ApiFailure(res.status, `${res.status} ${res.statusText}`);
  }
}

export function createApi(token: string, base = ""): Api {
  const cache = new Map<string, { etag: string; body: unknown }>();
  const headers = (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, Accept: "application/json", ...extra });

  async function get<T>(path: string): Promise<T> {
    const cached = cache.get(path);
    const res = await fetch(base + path, { headers: headers(cached ? { "If-None-Match": cached.etag } : {}), cache: "no-store" });
    if (res.status === 304 && cached) return cached.body as T;
    if (!res.ok) throw await failure(res);
    const body = (await res.json()) as T;
    const etag = res.headers.get("ETag");
    if (etag) cache.set(path, { etag, body });
    // Bounded: a long session visits many pages; the oldest entries go first.
    if (cache.size > 200) cache.delete(cache.keys().next().value!);
    return body;
  }

  async function list<T>(path: string, params: Record<string, string> = {}, max = 20_000) {
    const items: T[] = [];
    let next = "";
    for (;;) {
      const query = new URLSearchParams({ ...params, limit: String(pageSize), ...(next ? { continue: next } : {}) });
      const page = await get<List<T>>(`${path}?${query}`);
      items.push(...page.items);
      next = page.metadata.continue ?? "";
      if (!next) return { items, truncated: false };
      if (items.length >= max) return { items: items.slice(0, max), truncated: true };
    }
  }

  async function send<T>(method: string, path: string, body?: string, contentType = "application/json"): Promise<T> {
    const res = await fetch(base + path, { method, headers: headers(body === undefined ? {} : { "Content-Type": contentType }), body });
    if (!res.ok) throw await failure(res);
    return (await res.json()) as T;
  }

  async function text(path: string, signal?: AbortSignal): Promise<string> {
    const res = await fetch(base + path, { headers: headers({ Accept: "text/plain, application/json" }), cache: "no-store", signal });
    if (!res.ok) throw await failure(res);
    return res.text();
  }

  return { get, list, send, text };
}
