// The group commit on its own: what is submitted in one event-loop turn is committed together,
// each submitter gets its own result, a failed commit rejects its whole group. Found missing by
// the mutation run (group-commit.ts was only reached through the servers).
import { describe, expect, it } from "vitest";
import { GroupCommit } from "../src/group-commit.js";

describe("GroupCommit", () => {
  it("commits what is submitted in one turn together and gives each submitter its own result", async () => {
    const groups: number[][] = [];
    const group = new GroupCommit<number, string>((items) => {
      groups.push([...items]);
      return items.map((item) => `done ${item}`);
    });
    const first = [group.submit(1), group.submit(2), group.submit(3)];
    expect(group.size).toBe(3);
    expect(groups).toEqual([]); // nothing before the scheduled turn
    expect(await Promise.all(first)).toEqual(["done 1", "done 2", "done 3"]);
    expect(group.size).toBe(0);
    expect(await group.submit(4)).toBe("done 4");
    expect(groups).toEqual([[1, 2, 3], [4]]);
  });

  it("rejects every item of a group whose commit throws, and commits the next group", async () => {
    let fail = true;
    const group = new GroupCommit<string, string>((items) => {
      if (fail) throw new Error("disk full");
      return items.map((item) => item.toUpperCase());
    });
    const results = await Promise.allSettled([group.submit("a"), group.submit("b")]);
    expect(
      results.map((r) => (r.status === "rejected" ? (r.reason as Error).message : r.value)),
    ).toEqual(["disk full", "disk full"]);
    fail = false;
    expect(await group.submit("c")).toBe("C");
  });

  it("flush commits at once, and the scheduled turn after it commits nothing", async () => {
    const groups: string[][] = [];
    const group = new GroupCommit<string, number>((items) => {
      groups.push([...items]);
      return items.map((item) => item.length);
    });
    const pending = group.submit("abc");
    group.flush();
    expect(groups).toEqual([["abc"]]);
    expect(await pending).toBe(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(groups).toEqual([["abc"]]);
    // a submit after the flush schedules a turn of its own
    expect(await group.submit("de")).toBe(2);
    expect(groups).toEqual([["abc"], ["de"]]);
  });
});
