import { configDefaults, defineConfig } from "vitest/config";
import { LoopSequencer } from "./vitest.sequencer.ts";

/**
 * Test files that need a process of their own, because they check what is
 * loaded in it (for example that a module is loaded lazily). Add a file here
 * rather than turning isolation back on for every file. They get no test
 * database (each project with a global setup starts a PostgreSQL of its own):
 * add `globalSetup` below when one of them needs it.
 */
const needFreshProcess = ["packages/auth/src/common-passwords.test.ts", "apps/server/src/rest/docs.test.ts"];

const unit = {
  testTimeout: 20_000,
  hookTimeout: 60_000,
  maxWorkers: 3,
};

/**
 * Tuned for a 2-core machine (README, "How fast the loop is"). Most test time is
 * spent waiting on PostgreSQL, servers and browsers, not on this process, so
 * more files run at once than there are cores; and a worker keeps the modules
 * it has loaded for the next file (`isolate: false`), since importing the
 * router and its dependencies again for every file cost more than many tests.
 * Every file still gets its own database and server; no test may rely on a
 * module-level value another file changed (none mocks or stubs modules).
 */
export default defineConfig({
  test: {
    sequence: { sequencer: LoopSequencer },
    projects: [
      {
        test: {
          ...unit,
          name: "unit",
          include: ["{apps,packages}/*/src/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...needFreshProcess],
          globalSetup: ["packages/db/src/testing/global-setup.ts"],
          isolate: false,
        },
      },
      { test: { ...unit, name: "unit-isolated", include: needFreshProcess, isolate: true } },
      {
        test: {
          name: "e2e",
          include: ["apps/admin/e2e/**/*.test.ts"],
          // One Chromium for the run, which every file connects to (apps/admin/e2e/support/browser-server.ts).
          globalSetup: ["packages/db/src/testing/global-setup.ts", "apps/admin/e2e/support/browser-server.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Projects with the same maxWorkers share one pool of workers (vitest groups them), so these take
          // three of the same three slots as the unit files, in the order of vitest.sequencer.ts. Two
          // separate vitest processes (one per kind, three workers each) ran six heavy files at once on two
          // cores: the whole run took longer and 10 files hit timeouts (README, "How fast the loop is").
          maxWorkers: unit.maxWorkers,
          // A worker keeps its modules for its next browser file, as the unit files do: a fresh process per
          // file imported the server and Playwright 18 times (138 s of import time against 35 s).
          isolate: false,
        },
      },
    ],
  },
});
