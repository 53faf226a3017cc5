/**
 * @module
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: kubectl logs. The pod is read (one D1 query),
 * the options validated, and the request handed to its node's session bridge, which answers
 * once the device connected (at its next sync) with the log as a plain streaming body.
 */
import type { Pod } from "../../../resources/types.ts";
import { resources } from "../../../resources/registry.ts";
import { getObject } from "../../../store/objects.ts";
import { podRef } from "../../../store/rows.ts";
import type { AppContext } from "../../context.ts";
import { ApiError } from "../../errors.ts";
import { parseLogOptions } from "./log-options.ts";
import { openSession } from "./open-session.ts";

export async function handlePodLog(c: AppContext): Promise<Response> {
  const namespace = c.req.param("namespace")!;
  const name = c.req.param("name")!;
  const pod = await getObject<Pod>(c.var.db, podRef(namespace, name));
  if (!pod) throw ApiError.notFound(resources.Pod, name);
  const log = parseLogOptions((key) => c.req.query(key), pod, c.var.now);
  return openSession(c, pod, { kind: "log", log });
}
