import type { DataSource } from 'typeorm';

/** A repository of plain SQL on SQLite and Postgres alike: positional parameters in the data source's dialect. */
export abstract class SqlRepository {
  protected readonly pg: boolean;

  constructor(protected readonly ds: DataSource) {
    this.pg = ds.options.type === 'postgres';
  }

  /** The i-th parameter: `$i` on Postgres, `?` on SQLite. */
  protected p(i: number): string {
    return this.pg ? `$${i}` : '?';
  }

  /** Parameters 1 to n, comma-separated. */
  protected ps(n: number): string {
    return Array.from({ length: n }, (_, i) => this.p(i + 1)).join(',');
  }
}
