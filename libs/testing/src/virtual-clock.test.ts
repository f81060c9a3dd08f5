// Tests of the virtual clock: timers fire in due order only when time is moved.

import { describe, expect, it } from "vitest";
import { VirtualClock } from "./virtual-clock.js";

describe("VirtualClock", () => {
  it("fires due timers in due order, then scheduling order, moving time to each", () => {
    const clock = new VirtualClock(100);
    const fired: string[] = [];
    clock.schedule(50, () => fired.push(`b@${clock.now()}`));
    clock.schedule(10, () => fired.push(`a@${clock.now()}`));
    clock.schedule(50, () => fired.push(`c@${clock.now()}`));
    clock.schedule(500, () => fired.push("late"));

    while (clock.fireNext(200)) {}
    expect(fired).toEqual(["a@110", "b@150", "c@150"]);
    expect(clock.now()).toBe(150);
    clock.moveTo(200);
    expect(clock.now()).toBe(200);
  });

  it("never fires a cancelled timer and never goes back in time", () => {
    const clock = new VirtualClock(0);
    let fired = false;
    clock
      .schedule(10, () => {
        fired = true;
      })
      .cancel();
    expect(clock.fireNext(1_000)).toBe(false);
    expect(fired).toBe(false);
    clock.moveTo(50);
    clock.moveTo(20);
    expect(clock.now()).toBe(50);
    clock.schedule(-5, () => {
      fired = true;
    });
    expect(clock.fireNext(50)).toBe(true);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(50);
  });
});
