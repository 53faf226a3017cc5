/**
 * @module
 * The Docker image reference grammar (distribution/reference `reference.go`), checked before an
 * image reaches an engine command line: nothing starting with `-`, no spaces, nothing the engine
 * could read as a flag or a second argument. The kubelet refuses such an image with
 * `InvalidImageName` before calling the runtime; so does the agent.
 *
 * ```
 * reference  := name [ ":" tag ] [ "@" digest ]
 * name       := [domain "/"] path-component ["/" path-component]*   (at most 255 characters)
 * domain     := host [":" port]
 * tag        := [\w][\w.-]{0,127}
 * digest     := algorithm ":" hex{32,}
 * ```
 *
 * @example
 * imageReferenceProblem("registry.example:5000/team/app:1.2@sha256:" + "a".repeat(64)) // undefined
 * imageReferenceProblem("--privileged")  // "invalid reference format"
 */

const alphaNumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const ipv6 = "\\[(?:[a-fA-F0-9:]+)\\]";
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|${ipv6})`;
const domain = `${host}(?::[0-9]+)?`;
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const name = `(?:${domain}/)?${pathComponent}(?:/${pathComponent})*`;
const reference = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);

/** Why `image` is not a valid reference, or undefined when it is. */
export function imageReferenceProblem(image: string): string | undefined {
  const match = reference.exec(image);
  if (!match) return "invalid reference format";
  if (match[1].length > 255) return "repository name must not be more than 255 characters";
  return undefined;
}

/** The kubelet's InvalidImageName message. */
export function invalidImageMessage(image: string, problem: string): string {
  return `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: ${problem}`;
}
