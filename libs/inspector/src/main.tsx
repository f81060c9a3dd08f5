// The inspector page's entry: mounts the app and starts the live updates.
import { render } from "preact";
import { getJson } from "./api.js";
import type { InvocationsResponse } from "./api-types.js";
import { App } from "./app.js";
import { startLive } from "./live.js";
import "./styles.css";

startLive(async () => (await getJson<InvocationsResponse>("invocations")).entries);
const root = document.getElementById("app");
if (root) render(<App />, root);
