// Wires the optional Kafka connectors into startRuntime: on when a bootstrap address is given
// (`--kafka`, the `kafka` option or STATEFUN_KAFKA_BOOTSTRAP), off by default.
import { readFileSync } from "node:fs";
import { RuntimeError } from "./errors.js";
import type { IngressValidator } from "./ingress-body.js";
import {
  KAFKA_BOOTSTRAP_ENV,
  type KafkaConnectors,
  startKafkaConnectors,
} from "./kafka-connectors.js";
import { parseKafkaModule } from "./kafka-module.js";
import type { RuntimeLog } from "./log.js";
import { findEndpoint, type ModuleConfig } from "./module-yaml.js";
import type { RuntimeCore } from "./runtime-core.js";

/** What {@link connectKafka} needs from startRuntime. */
export interface KafkaWiring {
  /** The `kafka` option; undefined falls back to STATEFUN_KAFKA_BOOTSTRAP. */
  readonly bootstrap: string | undefined;
  readonly modulePath: string | undefined;
  readonly module: string | ModuleConfig | undefined;
  readonly config: ModuleConfig;
  readonly core: RuntimeCore;
  readonly stateFile: string;
  readonly validators: ReadonlyMap<string, IngressValidator>;
  readonly log: RuntimeLog;
}

/** The bootstrap address in force: the option, else the environment; empty means off. */
export function kafkaBootstrap(option: string | undefined): string | undefined {
  const value = (option ?? process.env[KAFKA_BOOTSTRAP_ENV] ?? "").trim();
  return value === "" ? undefined : value;
}

/** Starts the connectors when Kafka is asked for; undefined otherwise. */
export async function connectKafka(wiring: KafkaWiring): Promise<KafkaConnectors | undefined> {
  const bootstrap = kafkaBootstrap(wiring.bootstrap);
  if (bootstrap === undefined) return undefined;
  let text: string;
  let fileName = "module.yaml";
  if (typeof wiring.module === "string") {
    text = wiring.module;
    fileName = "module.yaml (inline)";
  } else if (wiring.module === undefined && wiring.modulePath !== undefined) {
    text = readFileSync(wiring.modulePath, "utf8");
    fileName = wiring.modulePath;
  } else {
    throw new RuntimeError(
      "Kafka needs the module.yaml text to read its Kafka ingresses: pass modulePath or module as YAML text, not a parsed config",
    );
  }
  return startKafkaConnectors({
    bootstrap,
    module: parseKafkaModule(text, fileName),
    accept: (target, argument) => wiring.core.accept(target, argument),
    serves: (namespace, type) => findEndpoint(wiring.config, namespace, type) !== undefined,
    egressLog: wiring.core,
    stateFile: wiring.stateFile,
    validators: wiring.validators,
    log: wiring.log,
  });
}
