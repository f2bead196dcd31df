// Type-checked (tsc --noEmit), never run: uses the generated client the way a tenant's program would, so a change to
// the document that breaks callers (a renamed parameter, a field that turns optional or changes type) fails the build.
import {
    Configuration,
    DeploymentsApi,
    ListDeploymentsStateEnum,
    RequestedIsolation,
    ResponseError,
    type CreateDeploymentRequest,
    type DeploymentView,
    type ListDeploymentsRequest,
    type Problem,
} from "@nanofleet/client";

export function deploymentsApi(basePath: string, token: string): DeploymentsApi {
    return new DeploymentsApi(new Configuration({ basePath, accessToken: async () => token }));
}

export function createRequest(name: string, idempotencyKey: string): CreateDeploymentRequest {
    return {
        idempotencyKey,
        createDeployment: {
            name,
            image: "registry.example.com/demo/hello:1",
            replicas: 2,
            resources: { cpuMillis: 250, memoryMiB: 128 },
            isolation: RequestedIsolation.Hardware,
            command: ["/bin/busybox", "httpd", "-f", "-p", "8080"],
            env: { GREETING: "hello" },
            ports: new Set([{ containerPort: 8080 }]),
        },
    };
}

/** Every active deployment whose name starts with prefix, following the cursor page by page. */
export async function activeDeployments(api: DeploymentsApi, prefix: string): Promise<DeploymentView[]> {
    const all: DeploymentView[] = [];
    let cursor: string | undefined;
    do {
        const params: ListDeploymentsRequest = { name: prefix, state: ListDeploymentsStateEnum.Active, limit: 50, cursor };
        const page = await api.listDeployments(params);
        all.push(...page);
        cursor = page.length === 50 ? page[page.length - 1].id : undefined;
    } while (cursor !== undefined);
    return all;
}

export async function createAndDescribe(api: DeploymentsApi): Promise<string> {
    try {
        const raw = await api.createDeploymentRaw(createRequest("web", crypto.randomUUID()));
        const created: DeploymentView = await raw.value();
        const location: string | null = raw.raw.headers.get("Location");
        const replicas: number = created.instances.length;
        const createdAt: Date = created.createdAt;
        const scaled = await api.updateDeployment({ id: created.id, updateDeployment: { replicas: 3 }, ifMatch: '"1"' });
        return `${location} ${created.isolation} ${replicas}->${scaled.replicas} since ${createdAt.toISOString()}`;
    } catch (e) {
        if (e instanceof ResponseError) {
            const problem = (await e.response.json()) as Problem;
            return `${problem.status} ${problem.title}: ${problem.errors?.map((f) => f.field).join(", ") ?? ""}`;
        }
        throw e;
    }
}
