/**
 * @module
 * A Durable Object's outbox: writes decided and recorded synchronously in the object's own SQLite,
 * then applied to D1 in order, batch by batch, under a write budget per invocation. A batch that
 * fails is kept and retried; one that partly landed before an interruption is replayed write by
 * write, skipping what already happened (a name taken, a precondition moved on). A batch D1 keeps
 * refusing for another reason is, after a few tries, applied one by one and what still fails is
 * dropped, loudly, so one bad write never blocks its owner forever.
 *
 * `commitEach` is that one-by-one fallback on its own, for callers without an outbox (the device
 * sync's mirror pods: one bad static pod must not block its device's sync).
 *
 * @example
 * const outbox = new Outbox(ctx.storage);
 * ctx.storage.transactionSync(() => outbox.enqueue(writes));
 * await outbox.drain(db, budget); // throws BudgetExhausted when the budget runs out first
 */
import type { Db } from "../store/db.ts";
import { commit, NameTaken, PreconditionFailed, statementCount, type Write } from "../store/writes.ts";
import type { RecordedWrite } from "./plan-writes.ts";

/** Writes per D1 batch when applying the outbox. */
export const writesPerBatch = 40;
/** Failed applies of the same batch before its writes are tried one by one and dropped. */
export const maxOutboxFailures = 5;

/** The invocation's write budget ran out; the owner carries on in a new invocation. */
export class BudgetExhausted extends Error {
  constructor() {
    super("write budget exhausted");
  }
}

/** A write that was already applied, or lost a race to an operator: skipping it is right. */
const isStale = (error: unknown) => error instanceof NameTaken || error instanceof PreconditionFailed;

/**
 * Commits `writes` in one transaction or, if one of them is stale, each on its own, skipping the
 * stale ones (`onSkip` hears of each). Other errors are thrown.
 */
export async function commitEach(db: Db, writes: readonly Write[], now: number, onSkip: (write: Write, error: Error) => void = () => {}): Promise<void> {
  if (writes.length === 0) return;
  try {
    await commit(db, writes, now);
  } catch (error) {
    if (!isStale(error)) throw error;
    for (const write of writes) {
      await commit(db, [write], now).catch((e) => {
        if (!isStale(e)) throw e;
        onSkip(write, e as Error);
      });
    }
  }
}

export class Outbox {
  private readonly sql: SqlStorage;
  private readonly kv: SyncKvStorage;

  constructor(storage: DurableObjectStorage) {
    this.sql = storage.sql;
    this.kv = storage.kv;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, write TEXT NOT NULL)`);
  }

  /** Records writes (synchronous: call it in the same step as the decision). */
  enqueue(writes: readonly RecordedWrite[]): void {
    for (const write of writes) this.sql.exec(`INSERT INTO outbox (write) VALUES (?)`, JSON.stringify(write));
  }

  get size(): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM outbox`).one().n;
  }

  /**
   * Sends recorded writes to D1 in order, removing each batch once committed. `budget.left` is
   * the D1 statements this invocation may still send (`statementCount`: a pod create is three);
   * it is decremented, and `BudgetExhausted` is thrown when writes remain that it cannot cover.
   */
  async drain(db: Db, budget: { left: number }): Promise<void> {
    for (;;) {
      const rows = this.sql.exec<{ seq: number; write: string }>(`SELECT seq, write FROM outbox ORDER BY seq LIMIT ?`, writesPerBatch).toArray();
      if (rows.length === 0) return;
      const now = Date.now();
      // The longest prefix the budget covers (at least one write while any budget is left).
      const writes: RecordedWrite[] = [];
      for (const row of rows) {
        const write = JSON.parse(row.write) as RecordedWrite;
        const cost = statementCount(db, write, now);
        if (writes.length > 0 && cost > budget.left) break;
        if (budget.left <= 0) break;
        budget.left -= cost;
        writes.push(write);
      }
      if (writes.length === 0) throw new BudgetExhausted();
      try {
        // A replay after an interrupted apply: some writes already landed, and are skipped.
        await commitEach(db, writes, now);
        this.kv.delete("outboxFailures");
      } catch (error) {
        const failures = (this.kv.get<number>("outboxFailures") ?? 0) + 1;
        this.kv.put("outboxFailures", failures);
        if (failures < maxOutboxFailures) throw error;
        for (const write of writes) {
          await commit(db, [write], now).catch((e) => console.error(`dropping a write D1 refused ${failures} times`, write.op, (e as Error).message));
        }
        this.kv.delete("outboxFailures");
      }
      this.sql.exec(`DELETE FROM outbox WHERE seq <= ?`, rows[writes.length - 1]!.seq);
    }
  }
}
