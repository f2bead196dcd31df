/** Test data shaped as control-api's OpenAPI document says. */
import { configure } from "@testing-library/react";
import type { Deployment, Instance } from "../../api/controlApi";

export const DEPLOYMENT_ID = "5f0c1a52-8d7e-4c1b-9a51-0e2a3b4c5d6e";

export function instance(overrides: Partial<Instance> = {}): Instance {
  return {
    id: `0000000${overrides.ordinal ?? 0}-aaaa-4bbb-8ccc-dddddddddddd`,
    ordinal: 0,
    node: "local-1",
    isolation: "shared",
    state: "running",
    desiredState: "running",
    reason: null,
    exitCode: null,
    restarts: 0,
    network: { address: "10.88.0.5", ports: [{ containerPort: 8080, hostPort: 31001 }] },
    usage: { sampledAt: "2026-12-01T10:00:00Z", cpuNanos: 1_500_000_000, memoryBytes: 12 * 1024 * 1024, cpuMillis: 250 },
    updatedAt: "2026-12-01T10:00:00Z",
    revision: 1,
    health: null,
    healthReason: null,
    ...overrides,
  };
}

export function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: DEPLOYMENT_ID,
    name: "hello",
    image: "127.0.0.1:15000/demo/hello:1",
    replicas: 2,
    resources: { cpuMillis: 250, memoryMiB: 64 },
    isolation: "shared",
    secretNames: [],
    restartPolicy: { mode: "on-failure", maxRetries: 5 },
    ports: [{ containerPort: 8080, protocol: "http", edgePort: null }],
    egress: { mode: "allow-all" },
    createdAt: "2026-12-01T09:00:00Z",
    revision: 1,
    rolloutPolicy: { maxSurge: "25%", maxUnavailable: "25%", minReadySeconds: 0, progressDeadlineSeconds: 600, autoRollback: true },
    rollout: { revision: 1, state: "complete", desired: 2, updated: 2, ready: 2, startedAt: "2026-12-01T09:00:00Z" },
    instances: [instance({ ordinal: 0 }), instance({ ordinal: 1 })],
    ...overrides,
  };
}


/**
 * Component tests of these pages type a lot and run beside other jsdom files: give async queries and tests more time
 * than the defaults (1 s, 5 s), so a loaded machine slows them down instead of failing them.
 */
export function allowSlowMachines(): void {
  configure({ asyncUtilTimeout: 10_000 });
  vi.setConfig({ testTimeout: 30_000 });
}
