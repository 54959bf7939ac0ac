import type { Column, Executor, SQL, Table } from "@inkwell/db";
import { schema, sql } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";

const DASHBOARD_DAYS = 30;

type SessionLifetimes = Pick<AuthSettings, "sessionIdleTimeoutMs" | "sessionMaxAgeMs">;

const { articles, auditEvents, comments, sessions, users } = schema;

/** How many users, articles and comments there are, and sessions that have not expired, in one query. */
async function totals(db: Executor, settings: SessionLifetimes) {
  const [row] = await db.execute<{ users: number; articles: number; comments: number; activeSessions: number }>(sql`
    select (select count(*)::int from ${users}) as "users",
           (select count(*)::int from ${articles}) as "articles",
           (select count(*)::int from ${comments}) as "comments",
           (select count(*)::int from ${sessions}
             where ${sessions.lastVerifiedAt} > now() - ${settings.sessionIdleTimeoutMs} * interval '1 millisecond'
               and ${sessions.createdAt} > now() - ${settings.sessionMaxAgeMs} * interval '1 millisecond'
           ) as "activeSessions"`);
  if (!row) throw new Error("the totals query returned no row");
  return row;
}

/** Midnight UTC of the chart's first day, written as an expression the planner can use with an index. */
const chartStart = sql.raw(
  `((date_trunc('day', now() at time zone 'UTC') - interval '${DASHBOARD_DAYS - 1} days') at time zone 'UTC')`,
);

/** `select day, n`: rows of `table` per UTC day since the first day of the chart. */
function perDay(table: Table, createdAt: Column, condition: SQL = sql`true`): SQL {
  return sql`select (${createdAt} at time zone 'UTC')::date as day, count(*)::int as n
    from ${table} where ${createdAt} >= ${chartStart} and ${condition} group by 1`;
}

/** Activity per UTC day for the last 30 days, oldest first, days without activity included as zeros. */
function activityByDay(db: Executor) {
  return db.execute<{ date: string; signUps: number; articles: number; comments: number; signIns: number }>(sql`
    with days as (
      select d::date as day
      from generate_series(
        (now() at time zone 'UTC')::date - ${DASHBOARD_DAYS - 1}::int,
        (now() at time zone 'UTC')::date,
        interval '1 day'
      ) as d
    )
    select to_char(days.day, 'YYYY-MM-DD') as "date",
           coalesce(sign_ups.n, 0) as "signUps",
           coalesce(new_articles.n, 0) as "articles",
           coalesce(new_comments.n, 0) as "comments",
           coalesce(sign_ins.n, 0) as "signIns"
    from days
    left join (${perDay(users, users.createdAt)}) as sign_ups using (day)
    left join (${perDay(articles, articles.createdAt)}) as new_articles using (day)
    left join (${perDay(comments, comments.createdAt)}) as new_comments using (day)
    left join (${perDay(
      auditEvents,
      auditEvents.createdAt,
      // A sign-in is a session opened: the password step of a two-factor sign-in opens none, its code step does.
      sql`${auditEvents.action} in ('auth.signIn', 'auth.signIn2fa') and ${auditEvents.details}->>'outcome' = 'success'
          and ${auditEvents.details}->>'twoFactorRequired' is null`,
    )}) as sign_ins using (day)
    order by days.day`);
}

export async function dashboardSummary(db: Executor, settings: SessionLifetimes) {
  const [counts, days] = await Promise.all([totals(db, settings), activityByDay(db)]);
  return { totals: counts, days: [...days] };
}
