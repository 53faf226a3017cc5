/**
 * @module
 * The CORS policy as pure functions: which origins, which headers.
 */

/** What a dashboard sends: its token, JSON bodies and patches, and ETags to poll with. */
const allowHeaders = ["Authorization", "Content-Type", "Accept", "If-None-Match"];
const allowMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** What a client needs to read: ETags to poll with, kubectl's warnings, and how long to back off. */
export const exposedHeaders = ["ETag", "Warning", "Retry-After"];
/** Browsers cache a preflight at most this long (Chromium caps at 2 h). */
const maxAgeSeconds = 7200;
const maxOrigins = 64;

/**
 * The allowed origins from `CORS_ALLOWED_ORIGINS`: each an exact origin (`scheme://host[:port]`,
 * as browsers send it in `Origin`); a trailing slash is dropped, anything else that is not an
 * origin is ignored (a typo must not open the API to everyone). At most 64.
 */
export function parseAllowedOrigins(value: string | undefined): Set<string> {
  const origins = new Set<string>();
  for (const entry of (value ?? "").split(",")) {
    const candidate = entry.trim().replace(/\/$/, "");
    if (!candidate || origins.size >= maxOrigins) continue;
    try {
      const url = new URL(candidate);
      if ((url.protocol === "https:" || url.protocol === "http:") && url.origin === candidate.toLowerCase()) origins.add(url.origin);
    } catch {
      // not an origin: ignored
    }
  }
  return origins;
}

export const isPreflight = (method: string, requestMethod: string | undefined) => method === "OPTIONS" && !!requestMethod;

/** The headers of an answer to an allowed origin. */
export const corsHeaders = (origin: string): Record<string, string> => ({
  "Access-Control-Allow-Origin": origin,
  "Access-Control-Expose-Headers": exposedHeaders.join(", "),
  Vary: "Origin",
});

export const preflightHeaders = (origin: string): Record<string, string> => ({
  "Access-Control-Allow-Origin": origin,
  "Access-Control-Allow-Methods": allowMethods.join(", "),
  "Access-Control-Allow-Headers": allowHeaders.join(", "),
  "Access-Control-Max-Age": String(maxAgeSeconds),
  Vary: "Origin",
});
