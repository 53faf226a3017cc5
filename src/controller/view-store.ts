/**
 * @module
 * The DaemonSet controller's view (daemonset-view.ts) kept in its Durable Object's SQLite, so an
 * evicted or restarted object picks it up without reading the fleet from D1 again. Rows change
 * only with the view: a delta writes the nodes and pods it re-read, a full resync only the rows
 * whose resourceVersion moved. The view is trusted only if the last refresh finished (`clean`):
 * an object that stopped mid-refresh starts with a full resync.
 *
 * @example
 * const store = new ViewStore(ctx.storage);
 * const view = store.load(uid, now - resyncMs, now); // undefined: load from D1
 */
import type { Node, Pod } from "../resources/types.ts";
import { DaemonSetView } from "./daemonset-view.ts";

interface ViewMeta {
  uid: string;
  namespace: string;
  loadedAt: number;
  clean: boolean;
}

export class ViewStore {
  private readonly storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS view_nodes (name TEXT PRIMARY KEY, version TEXT NOT NULL, body TEXT NOT NULL)`);
    storage.sql.exec(`CREATE TABLE IF NOT EXISTS view_pods (name TEXT PRIMARY KEY, version TEXT NOT NULL, body TEXT NOT NULL)`);
  }

  /** The stored view of DaemonSet `uid`, if it is complete and was loaded whole after `notBefore`. */
  load(uid: string, notBefore: number, now: number): DaemonSetView | undefined {
    const meta = this.storage.kv.get<ViewMeta>("view");
    if (!meta || meta.uid !== uid || !meta.clean || meta.loadedAt < notBefore) return undefined;
    const nodes = this.storage.sql.exec<{ body: string }>(`SELECT body FROM view_nodes`).toArray().map((row) => JSON.parse(row.body) as Node);
    const pods = this.storage.sql.exec<{ body: string }>(`SELECT body FROM view_pods`).toArray().map((row) => JSON.parse(row.body) as Pod);
    return new DaemonSetView(meta.uid, meta.namespace, meta.loadedAt, nodes, pods, now);
  }

  /** A refresh starts: until `saved`, the stored view is not to be trusted. */
  refreshing(): void {
    const meta = this.storage.kv.get<ViewMeta>("view");
    if (meta?.clean) this.storage.kv.put("view", { ...meta, clean: false });
  }

  /** A full load: every row whose version moved since `previous` (all of them without one). */
  savedWhole(view: DaemonSetView, previous: DaemonSetView | undefined): void {
    const same = previous?.uid === view.uid ? previous : undefined;
    this.storage.transactionSync(() => {
      if (!same) {
        this.storage.sql.exec(`DELETE FROM view_nodes`);
        this.storage.sql.exec(`DELETE FROM view_pods`);
      }
      for (const node of view.nodeList()) if (same?.node(node.metadata.name ?? "")?.metadata.resourceVersion !== node.metadata.resourceVersion || !same) this.putNode(node);
      for (const pod of view.podList()) if (same?.pod(pod.metadata.name ?? "")?.metadata.resourceVersion !== pod.metadata.resourceVersion || !same) this.putPod(pod);
      if (same) {
        for (const node of same.nodeList()) if (!view.node(node.metadata.name ?? "")) this.storage.sql.exec(`DELETE FROM view_nodes WHERE name = ?`, node.metadata.name ?? "");
        for (const pod of same.podList()) if (!view.pod(pod.metadata.name ?? "")) this.storage.sql.exec(`DELETE FROM view_pods WHERE name = ?`, pod.metadata.name ?? "");
      }
      this.storage.kv.put("view", { uid: view.uid, namespace: view.namespace, loadedAt: view.loadedAt, clean: true } satisfies ViewMeta);
    });
  }

  /** A delta: these nodes and pods were re-read; each row now is what the view holds, or gone. */
  savedDelta(view: DaemonSetView, nodes: readonly string[], pods: readonly string[]): void {
    this.storage.transactionSync(() => {
      for (const name of nodes) {
        const node = view.node(name);
        if (node) this.putNode(node);
        else this.storage.sql.exec(`DELETE FROM view_nodes WHERE name = ?`, name);
      }
      for (const name of pods) {
        const pod = view.pod(name);
        if (pod) this.putPod(pod);
        else this.storage.sql.exec(`DELETE FROM view_pods WHERE name = ?`, name);
      }
      this.storage.kv.put("view", { uid: view.uid, namespace: view.namespace, loadedAt: view.loadedAt, clean: true } satisfies ViewMeta);
    });
  }

  clear(): void {
    this.storage.transactionSync(() => {
      this.storage.sql.exec(`DELETE FROM view_nodes`);
      this.storage.sql.exec(`DELETE FROM view_pods`);
      this.storage.kv.delete("view");
    });
  }

  private putNode(node: Node): void {
    this.storage.sql.exec(`INSERT OR REPLACE INTO view_nodes (name, version, body) VALUES (?, ?, ?)`, node.metadata.name ?? "", node.metadata.resourceVersion ?? "", JSON.stringify(node));
  }

  private putPod(pod: Pod): void {
    this.storage.sql.exec(`INSERT OR REPLACE INTO view_pods (name, version, body) VALUES (?, ?, ?)`, pod.metadata.name ?? "", pod.metadata.resourceVersion ?? "", JSON.stringify(pod));
  }
}
