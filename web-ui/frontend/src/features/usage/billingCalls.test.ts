import { fileNameFrom } from "./billingCalls";

describe("fileNameFrom", () => {
  it("takes the quoted file name billing sends", () => {
    expect(fileNameFrom('attachment; filename="NF-acme-00001.pdf"', "x.pdf")).toBe("NF-acme-00001.pdf");
  });

  it("prefers the UTF-8 name and reads a bare one", () => {
    expect(fileNameFrom("attachment; filename=plain.csv; filename*=UTF-8''r%C3%A9sum%C3%A9.csv", "x.csv")).toBe("résumé.csv");
    expect(fileNameFrom("attachment; filename=plain.csv", "x.csv")).toBe("plain.csv");
  });

  it("falls back without a header and never keeps a path", () => {
    expect(fileNameFrom(null, "NF-acme-00002.csv")).toBe("NF-acme-00002.csv");
    expect(fileNameFrom('attachment; filename="../../etc/passwd"', "x")).toBe(".._.._etc_passwd");
  });
});
