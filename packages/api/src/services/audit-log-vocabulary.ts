import { type Executor, sql } from "@inkwell/db";

/** At most this many distinct values are suggested: the log's vocabulary is the procedures' names, a few hundred. */
export const MAX_SUGGESTIONS = 500;

/**
 * The distinct values of an indexed column of the audit log, in order, by a
 * loose index scan: each step asks the index for the next value above the
 * last one, so the cost grows with the number of distinct values, not of events.
 */
async function distinctValues(db: Executor, column: "action" | "target_type"): Promise<string[]> {
  const name = sql.identifier(column);
  const rows = await db.execute<{ value: string }>(sql`
    with recursive found(value) as (
      (select ${name} from audit_events where ${name} is not null order by ${name} limit 1)
      union all
      select (select e.${name} from audit_events e where e.${name} > found.value order by e.${name} limit 1)
      from found where found.value is not null
    )
    select value from found where value is not null limit ${MAX_SUGGESTIONS}`);
  return rows.map((row) => row.value);
}

/** Every action and target type the log holds, for the filters' suggestions. */
export async function auditLogVocabulary(db: Executor): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targetTypes] = await Promise.all([distinctValues(db, "action"), distinctValues(db, "target_type")]);
  return { actions, targetTypes };
}
