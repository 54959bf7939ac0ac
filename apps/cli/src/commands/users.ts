import type { RouterInputs } from "@inkwell/client";
import type { Command } from "commander";
import type { CliContext } from "../context.ts";
import { wholeNumber } from "../options.ts";
import { formatDate } from "../output.ts";

type UserQuery = RouterInputs["users"]["list"];

interface ListOptions {
  search?: string;
  role?: string;
  status?: string;
  page?: number;
  pageSize?: number;
}

export function registerUserCommands(program: Command, ctx: CliContext): void {
  const users = program.command("users").description("user management (operators)");

  users
    .command("list")
    .description("list users, newest first")
    .option("--search <text>", "part of a username or email")
    .option("--role <role>", "only users with this role (user, moderator, admin)")
    .option("--status <status>", "only users with this status (active, suspended)")
    .option("--page <n>", "page number, from 1", wholeNumber)
    .option("--page-size <n>", "users per page", wholeNumber)
    .action(async (options: ListOptions) => {
      const client = await ctx.client();
      // Role and status are checked by the server; the casts only satisfy the compiler.
      const result = await client.users.list.query({
        search: options.search,
        role: options.role as UserQuery["role"],
        status: options.status as UserQuery["status"],
        page: options.page,
        pageSize: options.pageSize,
      });
      ctx.output.show(result, () => {
        ctx.output.table(
          ["Id", "Username", "Email", "Role", "Status", "Joined"],
          result.users.map((user) => [
            user.id,
            user.username,
            user.email,
            user.role,
            user.status,
            formatDate(user.createdAt),
          ]),
        );
        const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
        ctx.output.line(`Page ${result.page} of ${pages} (${result.total} users)`);
      });
    });
}
