/**
 * @module
 * Time formatting shared by status assembly and log messages.
 *
 * @example
 * formatTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5, 678)) // "2024-01-02T03:04:05Z"
 * formatGoDuration(80_000)                             // "1m20s"
 */

/** RFC 3339 with seconds precision, as metav1.Time serialises (milliseconds are dropped, not rounded). */
export function formatTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Go's `time.Duration.String()` for whole milliseconds, so messages read like the kubelet's
 * ("back-off 5m0s restarting failed container=…").
 */
export function formatGoDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole === 0) return "0s";
  if (whole < 0) return `-${formatGoDuration(-whole)}`;
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  let out = "";
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${seconds}s`;
}
