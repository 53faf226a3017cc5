-- Seed rows the control plane expects: the resource version counters and the namespaces
-- every Kubernetes cluster has. (Hand-written: drizzle-kit generates schema, not data.)
INSERT INTO counters (name, value) VALUES ('resourceVersion', 1), ('compactedVersion', 0);
--> statement-breakpoint
INSERT INTO objects (kind, namespace, name, uid, resource_version, created_version, body) VALUES
  ('Namespace', '', 'default', '8c6f3f0e-0000-4000-8000-000000000001', 1, 1,
   '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default","uid":"8c6f3f0e-0000-4000-8000-000000000001","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"kubernetes.io/metadata.name":"default"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}'),
  ('Namespace', '', 'kube-system', '8c6f3f0e-0000-4000-8000-000000000002', 1, 1,
   '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kube-system","uid":"8c6f3f0e-0000-4000-8000-000000000002","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"kubernetes.io/metadata.name":"kube-system"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}');
