import type { Database, Executor } from "@inkwell/db";

/**
 * A fixed-shape statement built once per database handle with drizzle's `.prepare(name)` and
 * `sql.placeholder(…)`: the SQL text is not rebuilt per request, and postgres.js sends it as a named prepared
 * statement, parsed once per connection, so PostgreSQL can reuse its plan. With `DATABASE_PREPARED_STATEMENTS=false`
 * (PgBouncer in transaction mode) postgres.js's own setting wins and the statement goes unnamed, as every other.
 *
 * With read replicas a query's handle is one replica's (`ReadReplicas`, fixed to that replica), so the statement
 * built on it is prepared on that replica's connections and the primary's on the primary's: one per handle.
 * A transaction gets null: it has its own connection, so its caller builds the query as usual and runs it with
 * `runPrepared` (planned once per connection all the same). Keep this to hot,
 * fixed-shape lookups; a search whose best plan depends on its values is better planned each time.
 */
export function preparedPerDatabase<P>(build: (db: Database) => P): (db: Executor) => P | null {
  const built = new WeakMap<Database, P>();
  return (db) => {
    // drizzle's transactions are the only executors with `rollback`.
    if ("rollback" in db) return null;
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}

/**
 * Runs a fixed-shape query built as usual (in a transaction too) as a named prepared statement: postgres.js keeps
 * one per connection and SQL text, so PostgreSQL plans it once per connection instead of at every call. For the
 * hot statements of a write, whose planning cost more than their execution (BENCHMARKS.md, finding 17). The name is
 * drizzle's label only; postgres.js names statements itself, and `DATABASE_PREPARED_STATEMENTS=false` still wins.
 */
export function runPrepared<T>(query: { prepare(name: string): { execute(): Promise<T> } }, name: string): Promise<T> {
  return query.prepare(name).execute();
}
