import { describe, expect, it } from "vitest";
import { type FeedEvent, failureOf, groupConsecutive } from "./event-groups.ts";

let nextId = 1000;
function event(action: string, fields: Partial<FeedEvent> = {}): FeedEvent {
  nextId--;
  return {
    id: nextId,
    action,
    actor: { id: 7 },
    actorApiKeyId: null,
    targetType: "user",
    targetId: "7",
    details: { outcome: "success" },
    createdAt: new Date(1_800_000_000_000 + nextId * 1000),
    ...fields,
  };
}
const failed = (code: string) => ({ outcome: "failure", error: { code, message: "no" } });

describe("groupConsecutive", () => {
  it("collapses 60 identical sign-ins into one row, keeping the newest and the oldest", () => {
    const signIns = Array.from({ length: 60 }, () =>
      event("auth.signIn", { details: { outcome: "success", input: {} } }),
    );
    const created = event("articles.create", { targetType: "article", targetId: "3" });
    const groups = groupConsecutive([created, ...signIns]);
    expect(groups.map((group) => [group.newest.action, group.count])).toEqual([
      ["articles.create", 1],
      ["auth.signIn", 60],
    ]);
    expect(groups[1]?.newest).toBe(signIns[0]);
    expect(groups[1]?.oldest).toBe(signIns[59]);
  });

  it("groups only consecutive events, and only identical ones", () => {
    const a = () => event("auth.signIn");
    const groups = groupConsecutive([
      a(),
      a(),
      event("auth.signIn", { actor: { id: 8 } }),
      a(),
      event("auth.signIn", { details: failed("UNAUTHORIZED") }),
      event("auth.signIn", { details: failed("UNAUTHORIZED") }),
      event("auth.signIn", { details: failed("TOO_MANY_REQUESTS") }),
      event("auth.signIn", { actor: null }),
      event("auth.signIn", { actorApiKeyId: 4 }),
      event("auth.signIn", { targetId: "8" }),
      // The address and the time do not matter.
      event("auth.signIn", { targetId: "8", details: { outcome: "success", input: { email: "x" } } }),
    ]);
    expect(groups.map((group) => group.count)).toEqual([2, 1, 1, 2, 1, 1, 1, 2]);
    expect(groups.map((group) => group.failure)).toEqual([
      null,
      null,
      null,
      "failedSignIn",
      "throttled",
      null,
      null,
      null,
    ]);
  });

  it("stops at `max` groups, the last one complete", () => {
    const events = [event("a"), event("b"), event("b"), event("b"), event("c")];
    const groups = groupConsecutive(events, 2);
    expect(groups.map((group) => [group.newest.action, group.count])).toEqual([
      ["a", 1],
      ["b", 3],
    ]);
    expect(groupConsecutive([], 8)).toEqual([]);
  });
});

describe("failureOf", () => {
  it("tells failed sign-ins, refusals and throttling apart", () => {
    expect(failureOf({ action: "auth.signIn", details: failed("UNAUTHORIZED") })).toBe("failedSignIn");
    expect(failureOf({ action: "auth.signIn2fa", details: failed("UNAUTHORIZED") })).toBe("failedSignIn");
    expect(failureOf({ action: "auth.passkeys.signIn", details: failed("FORBIDDEN") })).toBe("failedSignIn");
    expect(failureOf({ action: "auth.signIn", details: failed("TOO_MANY_REQUESTS") })).toBe("throttled");
    expect(failureOf({ action: "auth.requestPasswordReset", details: failed("TOO_MANY_REQUESTS") })).toBe("throttled");
    expect(failureOf({ action: "users.suspend", details: failed("FORBIDDEN") })).toBe("refused");
    expect(failureOf({ action: "auth.signInOptions", details: failed("BAD_REQUEST") })).toBe("refused");
    expect(failureOf({ action: "auth.signIn", details: { outcome: "success" } })).toBeNull();
    expect(failureOf({ action: "auth.signIn", details: {} })).toBeNull();
    expect(failureOf({ action: "auth.signIn", details: { outcome: "failure", error: "text" } })).toBe("failedSignIn");
  });
});
