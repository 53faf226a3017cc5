/**
 * @module
 * Request bodies in `application/vnd.kubernetes.protobuf`, as kubectl's typed clients send them
 * (`kubectl create namespace shop` posts a protobuf Namespace): the `k8s\0` envelope around a
 * runtime.Unknown that names the type and carries the encoded object, decoded into the JSON
 * object the REST handlers take. Responses stay JSON (kubectl accepts both).
 *
 * @example
 * decodeProtobufObject(body) // { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" }, spec: {} }
 */
import { decodeMessage, messages } from "./messages.ts";
import { ProtobufError, readFields } from "./wire.ts";

export { ProtobufError };

const magic = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"
const decoder = new TextDecoder();

export const protobufContentType = "application/vnd.kubernetes.protobuf";

export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (body.length < magic.length || magic.some((b, i) => body[i] !== b)) throw new ProtobufError("the body does not start with the Kubernetes protobuf envelope");
  // runtime.Unknown { typeMeta = 1 { apiVersion = 1; kind = 2 }; raw = 2; contentEncoding = 3; contentType = 4 }
  const unknown = readFields(body.subarray(magic.length));
  const typeMeta = readFields(unknown.find((f) => f.field === 1)?.bytes ?? new Uint8Array());
  const text = (field: number) => decoder.decode(typeMeta.find((f) => f.field === field)?.bytes ?? new Uint8Array());
  const apiVersion = text(1);
  const kind = text(2);
  const schema = messages[`${apiVersion}/${kind}`];
  if (!schema) throw new ProtobufError(`${kind || "this kind"} (${apiVersion || "no version"}) is not accepted as protobuf; send JSON`);
  const raw = unknown.find((f) => f.field === 2)?.bytes ?? new Uint8Array();
  return { apiVersion, kind, ...decodeMessage(raw, schema) };
}
