/**
 * @module
 * Query parameters of the OpenAPI operations, with the apiserver's descriptions. The PATCH
 * operation must list `fieldValidation`: kubectl only uses server-side validation
 * (`--validate=strict`) for a kind whose PATCH operation declares it (kubectl-wire §1.4).
 *
 * @example
 * patchParameters.map((p) => p.name) // ["dryRun", "fieldManager", "fieldValidation", "force", "pretty"]
 */

export interface Parameter {
  name: string;
  in: "query" | "path";
  description: string;
  required?: boolean;
  schema: { type: "string" | "boolean" | "integer"; uniqueItems?: boolean };
}

const query = (name: string, type: Parameter["schema"]["type"], description: string): Parameter => ({
  name,
  in: "query",
  description,
  schema: { type, uniqueItems: true },
});

const dryRun = query(
  "dryRun",
  "string",
  "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
);
const fieldManager = query(
  "fieldManager",
  "string",
  "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.",
);
const fieldManagerPatch = query(
  "fieldManager",
  "string",
  "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).",
);
const fieldValidation = query(
  "fieldValidation",
  "string",
  "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.",
);
const force = query(
  "force",
  "boolean",
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
);
export const pretty = query(
  "pretty",
  "string",
  "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).",
);

export const patchParameters: Parameter[] = [dryRun, fieldManagerPatch, fieldValidation, force];
export const writeParameters: Parameter[] = [dryRun, fieldManager, fieldValidation];
export const deleteParameters: Parameter[] = [
  dryRun,
  query(
    "gracePeriodSeconds",
    "integer",
    "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.",
  ),
  query(
    "propagationPolicy",
    "string",
    "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
  ),
];
export const listParameters: Parameter[] = [
  query("continue", "string", "The continue option should be set when retrieving more results from the server."),
  query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
  query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
  query("limit", "integer", "limit is a maximum number of responses to return for a list call."),
  query(
    "resourceVersion",
    "string",
    "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset",
  ),
  query("timeoutSeconds", "integer", "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity."),
  query(
    "watch",
    "boolean",
    "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.",
  ),
];

export const pathParameter = (name: "name" | "namespace"): Parameter => ({
  name,
  in: "path",
  required: true,
  description: name === "name" ? "name of the resource" : "object name and auth scope, such as for teams and projects",
  schema: { type: "string", uniqueItems: true },
});
