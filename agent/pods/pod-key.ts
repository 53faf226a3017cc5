/**
 * @module
 * The file-system name of a pod (`<namespace>_<name>_<uid>`, unsafe characters replaced), used
 * for its directories under the state dir and the secrets dir.
 *
 * @example
 * podKey({ namespace: "default", name: "web", uid: "9f3c" }) // "default_web_9f3c"
 */
export function podKey(ref: { namespace: string; name: string; uid: string }): string {
  return [ref.namespace, ref.name, ref.uid].map((part) => part.replace(/[^A-Za-z0-9.-]/g, "-")).join("_");
}
