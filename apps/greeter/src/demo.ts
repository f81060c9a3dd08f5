// `npm run demo`: the scripted demo; exits 0 when the greetings are what the greeter must produce.
import { runDemo } from "./demo-script.js";

process.exit((await runDemo()) ? 0 : 1);
