import { appRouter, createCallerFactory, type RouterInputs, type RouterOutputs } from "@inkwell/api";
import type { CsvColumn } from "./csv-stream.ts";

export const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

/** Rows fetched per call: the largest page the list procedures serve. */
export const EXPORT_PAGE_SIZE = 100;

/**
 * A table that can be exported: the list procedure that serves its page (its
 * input schema reads the filters, its permission guards the export), how to
 * walk every page of it with the filters given, and the columns of the file.
 * The pages come from the procedure itself, called with the requester's own
 * context: no query is written twice, and no rule is skipped.
 */
export interface ExportTable<Row> {
  /** The procedure whose input the filters are, e.g. `audit.list`. */
  procedure: string;
  /** Input fields the export sets itself (paging): a request's values for them are ignored. */
  pagingFields: readonly string[];
  fileName: string;
  pages: (caller: Caller, filters: Record<string, unknown>) => AsyncGenerator<readonly Row[]>;
  columns: readonly CsvColumn<Row>[];
}

type UserRow = RouterOutputs["users"]["list"]["users"][number];
type AuditRow = RouterOutputs["audit"]["list"]["events"][number];

const usersExport: ExportTable<UserRow> = {
  procedure: "users.list",
  pagingFields: ["page", "pageSize"],
  fileName: "users",
  async *pages(caller, filters) {
    for (let page = 1; ; page++) {
      // The filters are unchecked here: the procedure's own schema validates them (a bad one is a 400).
      const input = { ...filters, page, pageSize: EXPORT_PAGE_SIZE } as RouterInputs["users"]["list"];
      const result = await caller.users.list(input);
      yield result.users;
      if (result.users.length < EXPORT_PAGE_SIZE || page * EXPORT_PAGE_SIZE >= result.total) return;
    }
  },
  columns: [
    { header: "id", value: (user) => user.id },
    { header: "username", value: (user) => user.username },
    { header: "email", value: (user) => user.email },
    { header: "role", value: (user) => user.role },
    { header: "status", value: (user) => user.status },
    { header: "email_verified", value: (user) => user.emailVerified },
    { header: "two_factor", value: (user) => user.twoFactorEnabled },
    { header: "bio", value: (user) => user.bio },
    { header: "image", value: (user) => user.image },
    { header: "created_at", value: (user) => user.createdAt },
    { header: "updated_at", value: (user) => user.updatedAt },
  ],
};

function outcomeOf(details: Record<string, unknown>): string | null {
  return typeof details.outcome === "string" ? details.outcome : null;
}

const auditExport: ExportTable<AuditRow> = {
  procedure: "audit.list",
  pagingFields: ["limit", "cursor"],
  fileName: "audit-log",
  async *pages(caller, filters) {
    let cursor: string | undefined;
    do {
      const input = { ...filters, limit: EXPORT_PAGE_SIZE, cursor } as RouterInputs["audit"]["list"];
      const result = await caller.audit.list(input);
      yield result.events;
      cursor = result.nextCursor ?? undefined;
    } while (cursor);
  },
  columns: [
    { header: "id", value: (event) => event.id },
    { header: "time", value: (event) => event.createdAt },
    { header: "action", value: (event) => event.action },
    { header: "outcome", value: (event) => outcomeOf(event.details) },
    { header: "actor_id", value: (event) => event.actor?.id },
    { header: "actor_username", value: (event) => event.actor?.username },
    { header: "actor_deleted", value: (event) => event.actor?.deleted },
    { header: "api_key_id", value: (event) => event.actorApiKeyId },
    { header: "target_type", value: (event) => event.targetType },
    { header: "target_id", value: (event) => event.targetId },
    { header: "ip", value: (event) => event.ip },
    { header: "user_agent", value: (event) => event.userAgent },
    { header: "request_id", value: (event) => event.requestId },
    { header: "details", value: (event) => JSON.stringify(event.details) },
  ],
};

/** The exports by the name in their URL: /export/{name}.csv. */
export const exportTables = { users: usersExport, audit: auditExport } as const;
