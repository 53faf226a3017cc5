/**
 * @module
 * The error every patch engine throws. Its message is worded like the apiserver's (the
 * messages of apimachinery `mergepatch`, `strategicpatch` and evanphx/json-patch), and `code`
 * says how the API answers it: 400 BadRequest for a patch that cannot be decoded or whose
 * directives are malformed, 422 Invalid for a well-formed patch that does not apply.
 *
 * For 422 the apiserver builds the Status with `NewGenericServerResponse`: message
 * "the server rejected our request due to an error in our request", and this error's message as
 * `details.causes[0]` (`{"reason":"UnexpectedServerResponse","message":…}`); kubectl prints the cause.
 *
 * @example
 * throw PatchError.invalid("testing value /spec/replicas failed: test failed");
 */

export type PatchErrorReason = "BadRequest" | "Invalid" | "RequestEntityTooLarge";

export class PatchError extends Error {
  readonly code: 400 | 413 | 422;
  readonly reason: PatchErrorReason;

  constructor(code: 400 | 413 | 422, message: string) {
    super(message);
    this.name = "PatchError";
    this.code = code;
    this.reason = code === 400 ? "BadRequest" : code === 413 ? "RequestEntityTooLarge" : "Invalid";
  }

  /** 400: the patch body or one of its directives is malformed. */
  static badRequest(message: string): PatchError {
    return new PatchError(400, message);
  }

  /** 422: the patch is well formed but cannot be applied to this object. */
  static invalid(message: string): PatchError {
    return new PatchError(422, message);
  }
}
