import type { Column, Executor, SQL, Table } from "@inkwell/db";
import { schema, sql } from "@inkwell/db";
import type { AuthSettings } from "../auth/settings.ts";
import { Invalid } from "../errors.ts";

type SessionLifetimes = Pick<AuthSettings, "sessionIdleTimeoutMs" | "sessionMaxAgeMs">;

/** Calendar days `from`–`to` (both included, `YYYY-MM-DD`) in an IANA `timeZone`; validated by the router. */
export interface DayRange {
  from: string;
  to: string;
  timeZone: string;
}

/** How many tags the tag-usage chart shows. */
const TOP_TAGS = 10;

/** The procedures that sign a person in; `auth.signIn` with `twoFactorRequired` opens no session yet. */
const SIGN_IN_ACTIONS = ["auth.signIn", "auth.signIn2fa", "auth.passkeys.signIn"];

const { articles, articleTags, auditEvents, comments, sessions, tags, throttleCounters, users } = schema;

/** How many users, articles and comments there are, sessions that have not expired and keys blocked now. */
async function totals(db: Executor, settings: SessionLifetimes) {
  const [row] = await db.execute<{
    users: number;
    articles: number;
    comments: number;
    activeSessions: number;
    blockedNow: number;
  }>(sql`
    select (select count(*)::int from ${users}) as "users",
           (select count(*)::int from ${articles}) as "articles",
           (select count(*)::int from ${comments}) as "comments",
           (select count(*)::int from ${sessions}
             where ${sessions.lastVerifiedAt} > now() - ${settings.sessionIdleTimeoutMs} * interval '1 millisecond'
               and ${sessions.createdAt} > now() - ${settings.sessionMaxAgeMs} * interval '1 millisecond'
           ) as "activeSessions",
           (select count(*)::int from ${throttleCounters} where ${throttleCounters.blockedUntil} > now()) as "blockedNow"`);
  if (!row) throw new Error("the totals query returned no row");
  return row;
}

/**
 * The range as SQL: each day runs from its midnight in the time zone
 * (included) to the next midnight (excluded), so a day is 23 or 25 hours
 * long where clocks change. `start` and `end` are written so the planner can
 * use the `created_at` indexes.
 */
function rangeSql(range: DayRange) {
  const zone = sql`${range.timeZone}::text`;
  const start = sql`(${range.from}::date::timestamp at time zone ${zone})`;
  const end = sql`((${range.to}::date + 1)::timestamp at time zone ${zone})`;
  return {
    within: (createdAt: Column) => sql`${createdAt} >= ${start} and ${createdAt} < ${end}`,
    dayOf: (createdAt: Column) => sql`(${createdAt} at time zone ${zone})::date`,
  };
}

type Range = ReturnType<typeof rangeSql>;

/** `select day, n`: rows of `table` per day of the range. */
function perDay(range: Range, table: Table, createdAt: Column): SQL {
  return sql`select ${range.dayOf(createdAt)} as day, count(*)::int as n
    from ${table} where ${range.within(createdAt)} group by 1`;
}

/** Audit events per day of the range, sorted into what the charts show; one scan of the range. */
function auditPerDay(range: Range): SQL {
  const outcome = sql`${auditEvents.details}->>'outcome'`;
  const errorCode = sql`${auditEvents.details}->'error'->>'code'`;
  const signIn = sql`${auditEvents.action} in (${sql.join(
    SIGN_IN_ACTIONS.map((action) => sql`${action}`),
    sql`, `,
  )})`;
  const counted = (condition: SQL) => sql`(count(*) filter (where ${condition}))::int`;
  // `moderation.articles.hide`, `moderation.comments.hide`, and any later `hide…` variant of them.
  const moderation = (verb: string) =>
    sql`${auditEvents.action} ~ ${`^moderation\\.[A-Za-z]+\\.${verb}`} and ${outcome} = 'success'`;
  return sql`select ${range.dayOf(auditEvents.createdAt)} as day,
      -- A sign-in is a session opened: the password step of a two-factor sign-in opens none, its code step does.
      ${counted(sql`${signIn} and ${outcome} = 'success' and ${auditEvents.details}->>'twoFactorRequired' is null`)} as sign_ins,
      ${counted(sql`${signIn} and ${outcome} = 'failure' and ${errorCode} is distinct from 'TOO_MANY_REQUESTS'`)} as failed_sign_ins,
      ${counted(sql`${outcome} = 'failure' and ${errorCode} = 'TOO_MANY_REQUESTS'`)} as throttled,
      ${counted(moderation("hide"))} as hidden,
      ${counted(moderation("restore"))} as restored,
      ${counted(moderation("delete"))} as deleted
    from ${auditEvents} where ${range.within(auditEvents.createdAt)} group by 1`;
}

/** Every day of the range, oldest first, days without activity as zeros; bucketed in SQL in the range's time zone. */
function activityByDay(db: Executor, dayRange: DayRange) {
  const range = rangeSql(dayRange);
  return db.execute<{
    date: string;
    signUps: number;
    articles: number;
    comments: number;
    signIns: number;
    failedSignIns: number;
    throttled: number;
    hidden: number;
    restored: number;
    deleted: number;
  }>(sql`
    with days as (
      select d::date as day from generate_series(${dayRange.from}::date, ${dayRange.to}::date, interval '1 day') as d
    )
    select to_char(days.day, 'YYYY-MM-DD') as "date",
           coalesce(sign_ups.n, 0) as "signUps",
           coalesce(new_articles.n, 0) as "articles",
           coalesce(new_comments.n, 0) as "comments",
           coalesce(audit.sign_ins, 0) as "signIns",
           coalesce(audit.failed_sign_ins, 0) as "failedSignIns",
           coalesce(audit.throttled, 0) as "throttled",
           coalesce(audit.hidden, 0) as "hidden",
           coalesce(audit.restored, 0) as "restored",
           coalesce(audit.deleted, 0) as "deleted"
    from days
    left join (${perDay(range, users, users.createdAt)}) as sign_ups using (day)
    left join (${perDay(range, articles, articles.createdAt)}) as new_articles using (day)
    left join (${perDay(range, comments, comments.createdAt)}) as new_comments using (day)
    left join (${auditPerDay(range)}) as audit using (day)
    order by days.day`);
}

/** The tags on most articles created in the range, most used first (ties by name). */
function tagUsage(db: Executor, dayRange: DayRange) {
  const range = rangeSql(dayRange);
  return db.execute<{ name: string; articles: number }>(sql`
    select ${tags.name} as "name", count(*)::int as "articles"
    from ${articles}
    join ${articleTags} on ${articleTags.articleId} = ${articles.id}
    join ${tags} on ${tags.id} = ${articleTags.tagId}
    where ${range.within(articles.createdAt)}
    group by ${tags.id}, ${tags.name}
    order by count(*) desc, ${tags.name}
    limit ${TOP_TAGS}`);
}

/** PostgreSQL's "time zone not recognized" (22023): its zone list can lag the runtime's, which the router checked. */
function isUnknownTimeZone(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === "22023" && typeof message === "string" && message.includes("time zone")) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Totals now, and per day of `range`: sign-ups, content, sign-ins, failed and throttled calls, moderation; top tags. */
export async function dashboardSummary(db: Executor, settings: SessionLifetimes, range: DayRange) {
  try {
    const [counts, days, topTags] = await Promise.all([
      totals(db, settings),
      activityByDay(db, range),
      tagUsage(db, range),
    ]);
    return { range, totals: counts, days: [...days], tags: [...topTags] };
  } catch (error) {
    if (isUnknownTimeZone(error)) {
      throw new Invalid(
        `The database does not know the time zone "${range.timeZone}": use UTC or another.`,
        "timeZone",
      );
    }
    throw error;
  }
}
