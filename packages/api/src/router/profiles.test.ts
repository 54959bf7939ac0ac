import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("profiles", () => {
  it("shows a profile with the viewer's following flag; follow and unfollow are idempotent", async () => {
    const star = await h.createUser();
    const { token } = await h.signedIn();
    const fan = await h.as({ bearer: token });

    expect(await (await h.as()).profiles.get({ username: star.username })).toEqual({
      username: star.username,
      bio: null,
      image: null,
      following: false,
    });
    expect(await fan.profiles.follow({ username: star.username })).toMatchObject({ following: true });
    expect(await fan.profiles.follow({ username: star.username.toUpperCase() })).toMatchObject({ following: true });
    expect(await fan.profiles.get({ username: star.username })).toMatchObject({ following: true });
    expect(await fan.profiles.unfollow({ username: star.username })).toMatchObject({ following: false });
    expect(await fan.profiles.unfollow({ username: star.username })).toMatchObject({ following: false });
  });

  it("refuses following yourself and unknown users", async () => {
    const { user, token } = await h.signedIn();
    const me = await h.as({ bearer: token });
    await expectTRPCError(me.profiles.follow({ username: user.username }), "BAD_REQUEST");
    await expectTRPCError(me.profiles.follow({ username: "ghost" }), "NOT_FOUND");
    await expectTRPCError((await h.as()).profiles.get({ username: "ghost" }), "NOT_FOUND");
    await expectTRPCError((await h.as()).profiles.get({ username: "bad name!" }), "BAD_REQUEST");
  });
});
