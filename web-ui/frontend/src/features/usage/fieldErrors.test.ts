import { ApiError } from "../../api/problem";
import { errorsByField } from "./fieldErrors";

const problem = (errors: { field: string; message: string }[]) =>
  new ApiError(400, { type: "urn:nanofleet:problem:validation", title: "Bad Request", status: 400, errors });

describe("errorsByField", () => {
  it("puts each error by the form field that shows it, items numbered from one", () => {
    const byField = errorsByField(
      problem([
        { field: "amount", message: "must be more than 0" },
        { field: "alertThresholds[2]", message: "must be ascending" },
        { field: "alertThresholds[0]", message: "must be 1..100" },
      ]),
      ["amount", "alertThresholds", "hard"],
    );
    expect(byField).toEqual({ amount: "must be more than 0", alertThresholds: "item 3: must be ascending; item 1: must be 1..100" });
  });

  it("keeps errors of fields the form does not have for its alert", () => {
    expect(errorsByField(problem([{ field: "other", message: "odd" }]), ["amount"])).toEqual({ "": "other: odd" });
  });

  it("has nothing for errors that are not the API's", () => {
    expect(errorsByField(new Error("offline"), ["amount"])).toEqual({});
  });
});
