/**
 * @module
 * The agent's state directory: the node credential (so the bootstrap token is needed once), the
 * last assignments from the control plane (so the pods run again after a reboot with no network),
 * and `pods/`, where the runtime keeps per-pod records and logs.
 *
 * ```
 * DIR/credential.json   { server, nodeName, credential }   0600
 * DIR/assignments.json  { version, syncIntervalSeconds, pods, configMaps } 0600
 * DIR/pods/<namespace>_<name>_<uid>/
 * ```
 *
 * @example
 * const store = new StateStore("/var/lib/edgeset");
 * store.ensure();
 * store.saveAssignments({ version: "v1", pods: [] });
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ConfigMap, Pod } from "../../src/resources/types.ts";
import { acceptStoredAssignments, type Accepted } from "../accept/accept-assignments.ts";
import { readJsonOrSetAside, writeFileAtomic } from "./atomic-file.ts";

export interface StoredCredential {
  /** The server the credential belongs to. */
  server: string;
  nodeName: string;
  credential: string;
}

export interface StoredAssignments {
  /** The SyncResponse.version these pods came with, sent back as If-None-Match. */
  version: string;
  syncIntervalSeconds?: number;
  pods: Pod[];
  /** The ConfigMaps the pods reference (Secrets are kept apart, see ConfigStore). */
  configMaps?: ConfigMap[];
}

export class StateStore {
  readonly dir: string;
  readonly podsDir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.podsDir = join(dir, "pods");
  }

  ensure(): void {
    mkdirSync(this.podsDir, { recursive: true, mode: 0o700 });
  }

  /** The saved credential; throws when it is unusable (a corrupt file is moved aside first). */
  loadCredential(): StoredCredential | undefined {
    const read = readJsonOrSetAside(join(this.dir, "credential.json"));
    if (read.problem) throw new Error(read.problem);
    const stored = read.value as Partial<StoredCredential> | undefined;
    if (stored === undefined) return undefined;
    if (typeof stored !== "object" || stored === null || typeof stored.credential !== "string" || typeof stored.nodeName !== "string" || typeof stored.server !== "string") {
      throw new Error("credential.json is missing its credential or node name");
    }
    return { server: stored.server, nodeName: stored.nodeName, credential: stored.credential };
  }

  saveCredential(credential: StoredCredential): void {
    writeFileAtomic(join(this.dir, "credential.json"), `${JSON.stringify(credential, null, 2)}\n`);
  }

  /**
   * The saved assignments as far as they can be used; never throws. A corrupt file is moved aside
   * (the agent starts clean and the first sync brings them again); pods that cannot run are
   * refused and keys that are not valid left out, each with a problem line.
   */
  loadAssignments(): Accepted<StoredAssignments> {
    const read = readJsonOrSetAside(join(this.dir, "assignments.json"));
    if (read.problem) return { refused: [], problems: [read.problem] };
    return acceptStoredAssignments(read.value);
  }

  saveAssignments(assignments: StoredAssignments): void {
    writeFileAtomic(join(this.dir, "assignments.json"), JSON.stringify(assignments));
  }
}
