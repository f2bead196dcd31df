// @vitest-environment node
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The typed clients are generated from the services' OpenAPI documents, which their Maven builds write to
// target/openapi. This keeps the committed types in step with the API: an API change without `npm run api:types`
// fails here instead of in a browser.
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const documents = [
  ["control-api", `${root}control-api/target/openapi/openapi.json`],
  ["tenant-billing", `${root}tenant-billing/target/openapi/openapi.json`],
] as const;
const cli = fileURLToPath(new URL("../../node_modules/openapi-typescript/bin/cli.js", import.meta.url));

describe("the generated API types", () => {
  for (const [service, document] of documents) {
    it(`match ${service}'s OpenAPI document`, (context) => {
      if (!existsSync(document)) {
        if (process.env.CI === "true") throw new Error(`${document} is missing: build ${service} first`);
        console.warn(`skipped: ${document} is missing (build ${service} first)`);
        context.skip();
      }
      const generated = execFileSync(process.execPath, [cli, document], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const committed = readFileSync(new URL(`./generated/${service}.ts`, import.meta.url), "utf8");
      expect(generated.trim(), `src/api/generated/${service}.ts is stale: run npm run api:types`).toBe(committed.trim());
    });
  }
});
