/**
 * @module
 * Pre-staging on a container engine: the images of an upcoming pod spec pulled as a start would
 * pull them (`IfNotPresent`: only missing ones; `Always`: every one, so the start only checks the
 * registry; `Never`: nothing, and a missing image fails as it would at the start), one at a time
 * (a device's link is the bottleneck), with the pod's `imagePullSecrets`. Nothing is created or run.
 *
 * @example
 * await pullImagesOf(cli, config, "default", spec) // ["registry.example/web:2"]
 */
import type { PodSpec } from "../../../src/resources/types.ts";
import type { ConfigSource } from "../../pods/container-env.ts";
import { lastErrorLine } from "./cli.ts";
import type { EngineCli } from "./engine-cli.ts";
import { dockerConfigFrom, neverPullMessage, pullPolicyOf, shouldPull } from "./image-pull.ts";
import { imageReferenceProblem, invalidImageMessage } from "./image-reference.ts";

export async function pullImagesOf(cli: Pick<EngineCli, "imagePresent" | "pull">, config: ConfigSource, namespace: string, spec: PodSpec): Promise<string[]> {
  const pulled: string[] = [];
  const pullSecrets = (spec.imagePullSecrets ?? []).map((s) => config.secret(namespace, s.name ?? "")).filter((s) => s !== undefined);
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    const image = container.image ?? "";
    const problem = image ? imageReferenceProblem(image) : "the container has no image";
    if (problem) throw new Error(image ? invalidImageMessage(image, problem) : problem);
    if (pulled.includes(image)) continue;
    const decision = shouldPull(pullPolicyOf(container), await cli.imagePresent(image));
    if (decision === "never") throw new Error(neverPullMessage(image));
    if (!decision) continue;
    const result = await cli.pull(image, dockerConfigFrom(pullSecrets));
    if (result.code !== 0) throw new Error(`failed to pull image "${image}": ${lastErrorLine(result.stderr) || `exit code ${result.code}`}`);
    pulled.push(image);
  }
  return pulled;
}
