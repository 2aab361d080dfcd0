import type { DataSource } from 'typeorm';
import type { ExecutionInput, ExecutionRow } from './executions.repository.js';

/**
 * Cluster mode's queued executions (Postgres only): an admitted execution waits with its input until one node
 * claims it; a gone node's claim that never got its FlowFile in goes back to the queue.
 */
export class QueuedExecutions {
  constructor(private readonly ds: DataSource) {}

  /**
   * Makes a queued execution this node's; undefined when another node claimed it first or it is no longer queued
   * (a job delivered twice starts its execution once).
   */
  async claim(id: string, node: string): Promise<{ row: ExecutionRow; input: ExecutionInput } | undefined> {
    return this.ds.transaction(async (m) => {
      const [rows] = (await m.query(`UPDATE "execution" SET "node_id" = $1, "state" = 'start' WHERE "id" = $2 AND "state" = 'queued' RETURNING *`, [node, id])) as [ExecutionRow[], number];
      const row = rows[0];
      if (!row) return undefined;
      const [input] = (await m.query(`SELECT * FROM "execution_input" WHERE "execution_id" = $1`, [id])) as { entry_id: string; attributes: string; content: string }[];
      if (!input) return undefined;
      return { row, input: { entryId: input.entry_id, attributes: JSON.parse(input.attributes) as Record<string, string>, content: input.content } };
    });
  }

  /** A claimed execution's input, once its FlowFile holds the same durably. */
  async dropInput(id: string): Promise<void> {
    await this.ds.query(`DELETE FROM "execution_input" WHERE "execution_id" = $1`, [id]);
  }

  /**
   * Executions that gone nodes claimed but never queued a FlowFile of (no step stored, the input still there) go back
   * to the queue; returns their ids so their jobs can be sent again.
   */
  async requeue(from: readonly string[]): Promise<string[]> {
    if (from.length === 0) return [];
    const [rows] = (await this.ds.query(
      `UPDATE "execution" SET "node_id" = NULL, "state" = 'queued' WHERE "state" NOT IN ('finished','queued') AND "node_id" IN (${from.map((_, i) => `$${i + 1}`).join(',')})
       AND EXISTS (SELECT 1 FROM "execution_input" i WHERE i."execution_id" = "execution"."id")
       AND NOT EXISTS (SELECT 1 FROM "execution_step" s WHERE s."execution_id" = "execution"."id") RETURNING "id"`,
      [...from],
    )) as [{ id: string }[], number];
    return rows.map((r) => r.id);
  }

  /** Executions waiting for a node. */
  async queuedCount(): Promise<number> {
    const [row] = (await this.ds.query(`SELECT COUNT(*) AS n FROM "execution" WHERE "state" = 'queued'`)) as { n: string | number }[];
    return Number(row?.n ?? 0);
  }
}
