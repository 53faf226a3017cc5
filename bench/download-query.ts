/**
 * The assignments download query (store/node-agents.ts `readAssignments`) at 10,000 pods on 1,000
 * nodes, on the schema before migration 0006 (it sorted by the primary key: a search of every Pod)
 * and after it (the node index serves the filter and the order). Not part of `npm run bench`:
 * `node bench/download-query.ts` (node:sqlite, the same SQLite as local D1).
 */
import { DatabaseSync } from "node:sqlite";
import { readdirSync, readFileSync } from "node:fs";

function migratedWithPods(upTo: string): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  for (const file of readdirSync("migrations").filter((f) => f.endsWith(".sql") && f <= upTo).sort())
    for (const statement of readFileSync(`migrations/${file}`, "utf8").split("--> statement-breakpoint")) if (statement.trim()) db.exec(statement);
  const insert = db.prepare("INSERT INTO objects (kind, namespace, name, uid, resource_version, created_version, node_name, owner_uid, body) VALUES ('Pod', 'default', ?, ?, 1, 1, ?, 'ds', ?)");
  db.exec("BEGIN");
  for (let i = 0; i < 10_000; i++) insert.run(`pod-${i}`, `uid-${i}`, `node-${i % 1000}`, JSON.stringify({ spec: { nodeName: `node-${i % 1000}`, containers: [{ name: "c", image: "x" }] }, pad: "x".repeat(1500) }));
  db.exec("COMMIT");
  return db;
}

const query = `select body, resource_version from objects where kind = 'Pod' and node_name = ? order by namespace, name`;
for (const [label, upTo] of [["before (0005)", "0005_~"], ["after (0006)", "0006_~"]] as const) {
  const db = migratedWithPods(upTo);
  const statement = db.prepare(query);
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${query}`).all("node-7").map((row) => (row as { detail: string }).detail).join("; ");
  for (let i = 0; i < 50; i++) statement.all(`node-${i}`);
  const started = performance.now();
  const runs = 500;
  for (let i = 0; i < runs; i++) statement.all(`node-${i % 1000}`);
  console.log(`${label}: ${((performance.now() - started) / runs).toFixed(3)} ms per download (${plan})`);
}
