// module.yaml documents for the scenarios: the same text is given to both runtimes.

/** One remote endpoint: a function pattern (`ns/*` or `ns/name`) served at `url`. */
export interface EndpointDeclaration {
  readonly functions: string;
  readonly url: string;
}

/**
 * A StateFun 3.x module.yaml: one `io.statefun.endpoints.v2/http` document per endpoint and one
 * `io.statefun.kafka.v1/egress` per Kafka egress id (the Flink runner records those instead of
 * producing to the broker; the local runtime serves them from its egress reader).
 */
export function moduleYaml(
  endpoints: readonly EndpointDeclaration[],
  kafkaEgresses: readonly string[] = [],
  callTimeout = "10s",
): string {
  const docs = endpoints.map(
    (e) => `kind: io.statefun.endpoints.v2/http
spec:
  functions: ${e.functions}
  urlPathTemplate: ${e.url}
  transport:
    type: io.statefun.transports.v1/async
    call: ${callTimeout}
    connect: 2s
`,
  );
  for (const id of kafkaEgresses) {
    docs.push(`kind: io.statefun.kafka.v1/egress
spec:
  id: ${id}
  address: kafka-broker:9092
  deliverySemantic:
    type: at-least-once
`);
  }
  return docs.join("---\n");
}
