import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that took longest in a whole run (November 2026), longest first. Three files run at once:
 * one of these started last would keep the run going alone, so they start first.
 */
const LONGEST = [
  "apps/admin/e2e/console-walk.test.ts",
  "apps/server/src/fuzz/router-fuzz.test.ts",
  "apps/cli/src/packaging/packaging.test.ts",
  "apps/server/src/rpc/procedures.test.ts",
];

/**
 * The order files start in (vitest.config.ts): the longest files, then the browser files beside them,
 * then the rest in vitest's order. The browser files stay together: a worker keeps its modules for the
 * next file of the same project (`isolate: false`), and one that gets a file of the other project is
 * replaced by a fresh one, so browser files spread among the others would cost module imports again.
 */
export class LoopSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => LONGEST.findIndex((path) => spec.moduleId.endsWith(`/${path}`));
    const longest = sorted.filter((spec) => rank(spec) >= 0).sort((a, b) => rank(a) - rank(b));
    const browser = sorted.filter((spec) => rank(spec) < 0 && spec.project.name === "e2e");
    const rest = sorted.filter((spec) => rank(spec) < 0 && spec.project.name !== "e2e");
    return [...longest, ...browser, ...rest];
  }
}
