// The deployment files (apps/greeter/Dockerfile, deploy/k8s/) parse and are wired together: the
// module.yaml the StateFun runtime mounts calls the greeter's Service on its port and path, the
// Service, Deployment, probes, HPA and image agree, and the master is where the workers look.
// Neither Docker nor a cluster exists on the machines this runs on, so this is what is checked.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseModuleYaml } from "@statefun-ts/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { greeterApp, HEALTH_PATH } from "./greeter-app.js";

const root = join(import.meta.dirname, "../../..");
const k8s = join(root, "deploy/k8s");

type Doc = { kind: string; metadata: { name: string }; [key: string]: unknown };
// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML, read field by field.
type Any = any;

function manifests(): Doc[] {
  const kustomization = parse(readFileSync(join(k8s, "kustomization.yaml"), "utf8")) as {
    resources: string[];
  };
  return kustomization.resources.flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8s, file), "utf8")).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as Doc;
    }),
  );
}

function find(docs: Doc[], kind: string, name: string): Any {
  const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`deploy/k8s has no ${kind} ${name}`);
  return found;
}

/** The container port a Service/probe port (number or name) designates. */
function containerPort(container: Any, port: number | string): number {
  if (typeof port === "number") return port;
  const named = container.ports.find((p: Any) => p.name === port);
  if (!named) throw new Error(`container ${container.name} has no port named ${port}`);
  return named.containerPort;
}

const docs = manifests();
const greeterDeployment = find(docs, "Deployment", "greeter-functions");
const greeterContainer = greeterDeployment.spec.template.spec.containers[0];
const greeterService = find(docs, "Service", "greeter-functions");
const moduleText: string = find(docs, "ConfigMap", "greeter-module").data["module.yaml"];
const dockerfile = readFileSync(join(root, "apps/greeter/Dockerfile"), "utf8");

describe("deploy/k8s", () => {
  it("every manifest has apiVersion, kind and name, and the Deployments select their pods", () => {
    for (const doc of docs as Any[]) {
      expect(doc.apiVersion, JSON.stringify(doc.metadata)).toMatch(/^[a-z.]*\/?v\d/);
      expect(doc.metadata.name).toMatch(/^[a-z0-9-]+$/);
      if (doc.kind === "Deployment") {
        expect(doc.spec.template.metadata.labels).toMatchObject(doc.spec.selector.matchLabels);
      }
    }
  });

  it("module.yaml parses as StateFun reads it and calls the greeter's Service on its port and path", () => {
    const module = parseModuleYaml(moduleText, "deploy/k8s module.yaml");
    expect(module.endpoints).toHaveLength(1);
    const url = new URL(module.endpoints[0]!.urlPathTemplate);
    expect(url.hostname).toBe(greeterService.metadata.name);
    const servicePort = greeterService.spec.ports.find((p: Any) => p.port === Number(url.port));
    expect(servicePort, `Service port ${url.port}`).toBeDefined();
    expect(containerPort(greeterContainer, servicePort.targetPort)).toBe(
      Number(greeterContainer.env.find((e: Any) => e.name === "PORT").value),
    );
    expect(url.pathname).toBe("/statefun"); // where greeterApp serves the functions
    // the Service selects the greeter's pods
    expect(greeterDeployment.spec.template.metadata.labels).toMatchObject(
      greeterService.spec.selector,
    );
  });

  it("module.yaml serves the same functions and egresses as apps/greeter/module.yaml", () => {
    const deployed = parseModuleYaml(moduleText);
    const local = parseModuleYaml(readFileSync(join(root, "apps/greeter/module.yaml"), "utf8"));
    const shape = (m: typeof deployed) => ({
      functions: m.endpoints.map((e) => `${e.namespace}/${e.name ?? "*"}`),
      egresses: m.egresses,
      timeouts: m.endpoints.map((e) => [
        e.callTimeoutMs,
        e.connectTimeoutMs,
        e.maxNumBatchRequests,
      ]),
    });
    expect(shape(deployed)).toEqual(shape(local));
  });

  it("the greeter's readiness and liveness probes hit its health route on its port", () => {
    for (const probe of [greeterContainer.readinessProbe, greeterContainer.livenessProbe]) {
      expect(probe.httpGet.path).toBe(HEALTH_PATH);
      expect(containerPort(greeterContainer, probe.httpGet.port)).toBe(8000);
    }
    expect(greeterContainer.env.find((e: Any) => e.name === "HOST").value).toBe("0.0.0.0");
  });

  it("the HPA scales the greeter Deployment on CPU, which the pods request", () => {
    const hpa = find(docs, "HorizontalPodAutoscaler", "greeter-functions");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: greeterDeployment.metadata.name,
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(1);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics[0].resource.name).toBe("cpu");
    expect(greeterContainer.resources.requests.cpu).toBeDefined();
  });

  it("the StateFun master and workers run StateFun 3.3, find each other and mount module.yaml", () => {
    const master = find(docs, "Deployment", "statefun-master");
    const worker = find(docs, "Deployment", "statefun-worker");
    const masterService = find(docs, "Service", "statefun-master");
    const flinkConf = parse(
      find(docs, "ConfigMap", "statefun-flink-config").data["flink-conf.yaml"],
    ) as Record<string, unknown>;
    expect(flinkConf["jobmanager.rpc.address"]).toBe(masterService.metadata.name);
    const masterContainer = master.spec.template.spec.containers[0];
    const workerContainer = worker.spec.template.spec.containers[0];
    for (const [container, role] of [
      [masterContainer, "master"],
      [workerContainer, "worker"],
    ]) {
      expect(container.image).toBe("apache/flink-statefun:3.3.0");
      const env = Object.fromEntries(container.env.map((e: Any) => [e.name, e.value]));
      expect(env).toEqual({ ROLE: role, MASTER_HOST: masterService.metadata.name });
      const pod = container === masterContainer ? master : worker;
      const volumes = pod.spec.template.spec.volumes;
      const mounts = Object.fromEntries(
        container.volumeMounts.map((m: Any) => [
          m.mountPath,
          volumes.find((v: Any) => v.name === m.name).configMap.name,
        ]),
      );
      expect(mounts).toEqual({
        "/opt/flink/conf": "statefun-flink-config",
        "/opt/statefun/modules/greeter": "greeter-module",
      });
    }
    // Flink's ports: the master's Service reaches the JobManager's RPC and blob server
    const servicePorts = Object.fromEntries(
      masterService.spec.ports.map((p: Any) => [
        p.port,
        containerPort(masterContainer, p.targetPort),
      ]),
    );
    expect(servicePorts[flinkConf["jobmanager.rpc.port"] as number]).toBe(
      flinkConf["jobmanager.rpc.port"],
    );
    expect(servicePorts[flinkConf["blob.server.port"] as number]).toBe(
      flinkConf["blob.server.port"],
    );
    expect(containerPort(workerContainer, "rpc")).toBe(flinkConf["taskmanager.rpc.port"]);
    expect(master.spec.template.metadata.labels).toMatchObject(masterService.spec.selector);
  });
});

describe("apps/greeter/Dockerfile", () => {
  it("is multi-stage on node slim, runs as a non-root user, exposes the port the manifests use", () => {
    const from = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from.length).toBeGreaterThanOrEqual(2);
    for (const image of from) expect(image).toMatch(/^node:(2[2-9]|[3-9]\d)-slim$/);
    expect(dockerfile).toMatch(/^COPY --from=build /m);
    const user = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(user.at(-1)).not.toMatch(/^(root|0)$/);
    expect(dockerfile).toMatch(/^EXPOSE 8000$/m);
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
    expect(greeterContainer.image).toMatch(/^statefun-ts\/greeter:/);
  });

  it("health-checks the route the greeter serves", () => {
    const check = dockerfile.match(/^HEALTHCHECK .*\n(?:.*\n)*?\s*CMD (.*)$/m);
    expect(check?.[1]).toContain(HEALTH_PATH);
  });
});

describe("the greeter's health route", () => {
  let server: ReturnType<ReturnType<typeof greeterApp>["listen"]>;
  beforeAll(async () => {
    server = greeterApp().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it(`answers 200 at GET ${HEALTH_PATH}`, async () => {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${HEALTH_PATH}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
  });
});
