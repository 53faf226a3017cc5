-- The other namespaces every Kubernetes cluster has: kubectl looks up node Leases in
-- kube-node-lease, and some tools expect kube-public. (Hand-written: data, not schema.)
INSERT OR IGNORE INTO objects (kind, namespace, name, uid, resource_version, created_version, body) VALUES
  ('Namespace', '', 'kube-node-lease', '8c6f3f0e-0000-4000-8000-000000000003', 1, 1,
   '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-node-lease","uid":"8c6f3f0e-0000-4000-8000-000000000003","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"kubernetes.io/metadata.name":"kube-node-lease"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}'),
  ('Namespace', '', 'kube-public', '8c6f3f0e-0000-4000-8000-000000000004', 1, 1,
   '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-public","uid":"8c6f3f0e-0000-4000-8000-000000000004","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"kubernetes.io/metadata.name":"kube-public"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}');
