/**
 * @module
 * The one error family of the API. Anything thrown as an `ApiError` becomes a Kubernetes
 * `metav1.Status` body with its HTTP code, reason and details, in `app.onError`; anything else is
 * logged and answered with a generic 500 that leaks nothing.
 *
 * @example
 * throw ApiError.notFound(resources.DaemonSet, "web"); // 404: daemonsets.apps "web" not found
 */
import type { FieldError } from "../resources/field-errors.ts";
import { qualifiedName, type ResourceInfo } from "../resources/registry.ts";

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Gone"
  | "Expired"
  | "Invalid"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "TooManyRequests"
  | "InternalError"
  | "ServiceUnavailable"
  | "Timeout";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): Status {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, "BadRequest", message);
  }

  static unauthorized(): ApiError {
    return new ApiError(401, "Unauthorized", "Unauthorized");
  }

  static forbidden(message: string): ApiError {
    return new ApiError(403, "Forbidden", message);
  }

  static notFound(info: ResourceInfo, name: string): ApiError {
    return new ApiError(404, "NotFound", `${qualifiedName(info)} "${name}" not found`, {
      name,
      group: info.group,
      kind: info.plural,
    });
  }

  /** A path that names no resource: kubectl prints "the server could not find the requested resource". */
  static noRoute(): ApiError {
    return new ApiError(404, "NotFound", "the server could not find the requested resource");
  }

  static alreadyExists(info: ResourceInfo, name: string): ApiError {
    return new ApiError(409, "AlreadyExists", `${qualifiedName(info)} "${name}" already exists`, {
      name,
      group: info.group,
      kind: info.plural,
    });
  }

  static conflict(info: ResourceInfo, name: string, why = "the object has been modified; please apply your changes to the latest version and try again"): ApiError {
    return new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedName(info)} "${name}": ${why}`, {
      name,
      group: info.group,
      kind: info.plural,
    });
  }

  /** 422 with one cause per field error; kubectl prints `The DaemonSet "x" is invalid: * spec.selector: Required value`. */
  static invalid(info: ResourceInfo, name: string, errors: readonly FieldError[]): ApiError {
    const list = errors.map((e) => `${e.field}: ${e.message}`);
    const message = `${info.kind}${info.group ? `.${info.group}` : ""} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(", ")}]`}`;
    return new ApiError(422, "Invalid", message, {
      name,
      group: info.group,
      kind: info.kind,
      causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
    });
  }

  static methodNotAllowed(message = "the server does not allow this method on the requested resource"): ApiError {
    return new ApiError(405, "MethodNotAllowed", message);
  }

  static unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${JSON.stringify(contentType)})`);
  }

  static expired(message: string): ApiError {
    return new ApiError(410, "Expired", message);
  }

  static tooLarge(message: string): ApiError {
    return new ApiError(413, "RequestEntityTooLarge", message);
  }
}

/** The `Success` Status Kubernetes returns for some deletes. */
export function successStatus(details: StatusDetails): Status {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, code: 200 };
}
