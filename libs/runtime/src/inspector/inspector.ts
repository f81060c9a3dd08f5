// Wires the inspector to a runtime: the activity recorder (a RuntimeObserver given to the core)
// and, once the core exists, the HTTP server.
import type { IncomingMessage, Server } from "node:http";
import type { IngressError } from "../errors.js";
import type { IngressValidator } from "../ingress-body.js";
import type { ModuleConfig } from "../module-yaml.js";
import type { RuntimeCore } from "../runtime-core.js";
import { ActivityRecorder, type RecorderBounds } from "./activity-recorder.js";
import { createInspectorServer } from "./inspector-server.js";
import type { JsonSchema } from "./schema-files.js";
import { StoreReader } from "./store-reader.js";

/** What the inspector is given. */
export interface InspectorSetup {
  readonly module: ModuleConfig;
  readonly validators: ReadonlyMap<string, IngressValidator>;
  readonly schemas: ReadonlyMap<string, JsonSchema>;
  readonly bounds?: RecorderBounds;
}

/** The inspector of one runtime: its recorder first, its server once the core exists. */
export class Inspector {
  /** Give this to the RuntimeCore as its `observer`. */
  readonly recorder: ActivityRecorder;
  private readonly reader: StoreReader;
  private core: RuntimeCore | undefined;

  constructor(private readonly setup: InspectorSetup) {
    this.reader = new StoreReader(
      () => this.runtimeCore().database(),
      () => this.runtimeCore().clock.now(),
    );
    this.recorder = new ActivityRecorder(
      {
        reader: this.reader,
        types: { validators: setup.validators },
        now: () => this.runtimeCore().clock.now(),
        stateTypename: (address, name) =>
          this.runtimeCore().registeredStates(`${address.namespace}/${address.type}`).get(name)
            ?.typename ?? "",
      },
      setup.bounds,
    );
  }

  /** Creates the HTTP server for the core this inspector observes. */
  server(
    core: RuntimeCore,
    guard: (request: IncomingMessage) => IngressError | undefined,
    info: () => { ingressUrl: string; egressUrl: string; stateFile: string },
  ): Server {
    this.core = core;
    return createInspectorServer({
      core,
      module: this.setup.module,
      reader: this.reader,
      recorder: this.recorder,
      validators: this.setup.validators,
      schemas: this.setup.schemas,
      info,
      startedAt: core.clock.now(),
      guard,
    });
  }

  /** Sets the core before its first delivery (the recorder reads through it). */
  attach(core: RuntimeCore): void {
    this.core = core;
  }

  private runtimeCore(): RuntimeCore {
    if (!this.core) throw new Error("the inspector is not attached to a runtime core yet");
    return this.core;
  }
}
