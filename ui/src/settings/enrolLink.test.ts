import { describe, expect, it } from "vitest";
import { parseEnrolLink } from "./settingsForm";

describe("the enrolment link", () => {
  it("gives the server and the code of the dashboard's patrollog:// link", () => {
    expect(parseEnrolLink(" patrollog://enrol?server=https%3A%2F%2Fpatrol.funing.example%3A8443&code=K7QF-3MZP-8WXD ")).toEqual({
      serverUrl: "https://patrol.funing.example:8443",
      code: "K7QF-3MZP-8WXD",
    });
  });

  it("is null for anything else: another scheme, a missing server or code", () => {
    expect(parseEnrolLink("https://patrol.funing.example")).toBeNull();
    expect(parseEnrolLink("patrollog://enrol?code=K7QF-3MZP-8WXD")).toBeNull();
    expect(parseEnrolLink("patrollog://enrol?server=https%3A%2F%2Fx&code=K7QF-3M")).toBeNull();
    expect(parseEnrolLink("patrollog://enrol?server=https%3A%2F%2Fx")).toBeNull();
    expect(parseEnrolLink("K7QF-3MZP-8WXD")).toBeNull();
  });
});
