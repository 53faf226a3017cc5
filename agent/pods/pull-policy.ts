/**
 * @module
 * The API's `imagePullPolicy` default (SetDefaults_Container): `Always` for an image tagged
 * `:latest` or not tagged at all, `IfNotPresent` otherwise (digests included).
 *
 * @example
 * defaultPullPolicy("nginx")        // "Always"
 * defaultPullPolicy("nginx:1.27")   // "IfNotPresent"
 */
export function defaultPullPolicy(image: string | undefined): "Always" | "IfNotPresent" {
  if (!image) return "IfNotPresent";
  if (image.includes("@")) return "IfNotPresent";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  const tag = colon >= 0 ? image.slice(colon + 1) : "";
  return tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
}
