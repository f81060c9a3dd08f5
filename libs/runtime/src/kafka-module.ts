// The Kafka components of a module.yaml (`io.statefun.kafka.v1/ingress` and `/egress`), as the
// local runtime's Kafka connectors use them. Same fields and defaults as StateFun 3.3.
import { parseAllDocuments } from "yaml";
import { ModuleYamlError } from "./errors.js";

/** One topic of a Kafka ingress: its records go to every target, as `valueType`. */
export interface KafkaIngressTopic {
  /** The Kafka topic. */
  readonly topic: string;
  /** The typename the record value is delivered as (`com.example/GreetRequest`). */
  readonly valueType: string;
  /** Target function types `<namespace>/<name>`; the record key is the function id. */
  readonly targets: ReadonlyArray<{
    /** The function type's namespace. */
    readonly namespace: string;
    /** The function type's name. */
    readonly type: string;
  }>;
}

/** An `io.statefun.kafka.v1/ingress` document. */
export interface KafkaIngressDeclaration {
  /** The ingress id `<namespace>/<name>`. */
  readonly id: string;
  /** `address` as written (the broker a deployment uses; `--kafka` overrides it locally). */
  readonly address: string | undefined;
  /** The consumer group (`consumerGroupId`), when set. */
  readonly consumerGroupId: string | undefined;
  /** `startupPosition.type`: `earliest`, `latest`, `group-offsets` (others are read as group-offsets). */
  readonly startupPosition: string;
  /** `autoOffsetResetPosition`: `earliest` or `latest` (StateFun's default: latest). */
  readonly autoOffsetResetPosition: "earliest" | "latest";
  /** The topics read and where their records go. */
  readonly topics: readonly KafkaIngressTopic[];
  /** Where it was declared, for messages. */
  readonly source: string;
}

/** An `io.statefun.kafka.v1/egress` document. */
export interface KafkaEgressDeclaration {
  /** The egress id `<namespace>/<name>`. */
  readonly id: string;
  /** The brokers (`address`), when set. */
  readonly address: string | undefined;
  /** `deliverySemantic.type`: `at-least-once` (default), `exactly-once` or `none`. */
  readonly deliverySemantic: string;
  /** Where it was declared, for messages: `module.yaml, document 2`. */
  readonly source: string;
}

/** The Kafka ingresses and egresses of a module.yaml. */
export interface KafkaModule {
  /** The Kafka ingresses. */
  readonly ingresses: readonly KafkaIngressDeclaration[];
  /** The Kafka egresses. */
  readonly egresses: readonly KafkaEgressDeclaration[];
}

const INGRESS = "io.statefun.kafka.v1/ingress";
const EGRESS = "io.statefun.kafka.v1/egress";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function typename(value: unknown, field: string, where: string): [string, string] {
  const parts = typeof value === "string" ? value.split("/") : [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new ModuleYamlError(
      `${where}: field "${field}" must be a typename "<namespace>/<name>", got ${JSON.stringify(value)}`,
    );
  }
  return [parts[0], parts[1]];
}

function optionalString(spec: Json, field: string, where: string): string | undefined {
  const value = spec[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new ModuleYamlError(
      `${where}: field "spec.${field}" must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Reads the Kafka components of a module.yaml text; other documents are left to parseModuleYaml. */
export function parseKafkaModule(text: string, fileName = "module.yaml"): KafkaModule {
  const ingresses: KafkaIngressDeclaration[] = [];
  const egresses: KafkaEgressDeclaration[] = [];
  let index = 0;
  for (const document of parseAllDocuments(text)) {
    index += 1;
    const value: unknown = document.toJS();
    if (!isObject(value) || (value.kind !== INGRESS && value.kind !== EGRESS)) continue;
    const where = `${fileName}, document ${index} (kind ${value.kind})`;
    const spec = value.spec;
    if (!isObject(spec)) throw new ModuleYamlError(`${where}: field "spec" must be a mapping`);
    const id = typename(spec.id, "spec.id", where).join("/");
    const address = optionalString(spec, "address", where);
    if (value.kind === EGRESS) {
      const semantic = spec.deliverySemantic;
      const type = isObject(semantic) ? semantic.type : undefined;
      if (
        semantic !== undefined &&
        !["at-least-once", "exactly-once", "none"].includes(String(type))
      ) {
        throw new ModuleYamlError(
          `${where}: field "spec.deliverySemantic.type" must be at-least-once, exactly-once or none, got ${JSON.stringify(type)}`,
        );
      }
      egresses.push({
        id,
        address,
        deliverySemantic: typeof type === "string" ? type : "at-least-once",
        source: where,
      });
      continue;
    }
    const topics = spec.topics;
    if (!Array.isArray(topics) || topics.length === 0) {
      throw new ModuleYamlError(
        `${where}: field "spec.topics" must be a list of {topic, valueType, targets}`,
      );
    }
    const startup = spec.startupPosition;
    const startupType = isObject(startup) ? startup.type : "latest";
    const reset = spec.autoOffsetResetPosition ?? "latest";
    if (reset !== "earliest" && reset !== "latest") {
      throw new ModuleYamlError(
        `${where}: field "spec.autoOffsetResetPosition" must be earliest or latest, got ${JSON.stringify(reset)}`,
      );
    }
    ingresses.push({
      id,
      address,
      consumerGroupId: optionalString(spec, "consumerGroupId", where),
      startupPosition: typeof startupType === "string" ? startupType : "latest",
      autoOffsetResetPosition: reset,
      topics: topics.map((t: unknown, i) => {
        const at = `${where}, topics[${i}]`;
        if (!isObject(t) || typeof t.topic !== "string" || t.topic === "") {
          throw new ModuleYamlError(`${at}: field "topic" must be a topic name`);
        }
        const valueType = typename(t.valueType, "valueType", at).join("/");
        if (!Array.isArray(t.targets) || t.targets.length === 0) {
          throw new ModuleYamlError(
            `${at}: field "targets" must list function types, e.g. [com.example.fns/greeter]`,
          );
        }
        const targets = t.targets.map((target: unknown, j) => {
          const [namespace, type] = typename(target, `targets[${j}]`, at);
          return { namespace, type };
        });
        return { topic: t.topic, valueType, targets };
      }),
      source: where,
    });
  }
  return { ingresses, egresses };
}
