// Send: a message to a function, its value as text or registry JSON validated in the page
// against the type's schema (violations named by JSON pointer) before it is sent.
import { useRef, useState } from "preact/hooks";
import { ApiError, postJson } from "../api.js";
import type {
  FunctionsResponse,
  SendRequest,
  SendResponse,
  TypesResponse,
  ViolationJson,
} from "../api-types.js";
import { href, route } from "../router.js";
import { checkValue } from "../schema-check.js";
import { useApi } from "../use-api.js";

export function SendView() {
  const query = route.value.query;
  const types = useApi<TypesResponse>("types", []);
  const functions = useApi<FunctionsResponse>("functions", []);
  const [functionType, setFunctionType] = useState(query.get("type") ?? "");
  const [id, setId] = useState(query.get("id") ?? "");
  const [typename, setTypename] = useState(query.get("typename") ?? "io.statefun.types/string");
  const [value, setValue] = useState("");
  const [violations, setViolations] = useState<readonly ViolationJson[]>([]);
  const [result, setResult] = useState<
    { ok: true; answer: SendResponse } | { ok: false; error: string } | null
  >(null);
  const [busy, setBusy] = useState(false);
  const valueInput = useRef<HTMLTextAreaElement>(null);
  const known = types.data?.types ?? [];
  const selected = known.find((t) => t.typename === typename);
  const example = (selected?.schema?.examples as unknown[] | undefined)?.[0];

  const check = (text: string, type = typename) => {
    const outcome = checkValue(type, text, known);
    setViolations(outcome.violations);
    return outcome.ok;
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setResult(null);
    if (!check(value)) {
      valueInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const body: SendRequest = { functionType: functionType.trim(), id, typename, value };
      setResult({ ok: true, answer: await postJson<SendResponse>("send", body) });
    } catch (error) {
      setResult({ ok: false, error: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  const [namespace, type] = functionType.trim().split("/");
  return (
    <section aria-labelledby="send-title">
      <h1 id="send-title">Send a message</h1>
      <form class="send-form" onSubmit={submit} noValidate data-testid="send-form">
        <label>
          function type
          <input
            name="functionType"
            list="function-types"
            required
            placeholder="com.example.fns/greeter"
            value={functionType}
            onInput={(e) => setFunctionType((e.target as HTMLInputElement).value)}
          />
          <datalist id="function-types">
            {(functions.data?.functions ?? []).map((f) => (
              <option key={f.functionType} value={f.functionType} />
            ))}
          </datalist>
        </label>
        <label>
          id
          <input
            name="id"
            required
            placeholder="Bob"
            value={id}
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          value type
          <select
            name="typename"
            value={typename}
            onChange={(e) => {
              const next = (e.target as HTMLSelectElement).value;
              setTypename(next);
              if (value !== "") check(value, next);
              else setViolations([]);
            }}
          >
            <optgroup label="built-in">
              {known
                .filter((t) => t.kind === "builtin")
                .map((t) => (
                  <option key={t.typename} value={t.typename}>
                    {t.typename}
                  </option>
                ))}
            </optgroup>
            <optgroup label="registry (JSON, checked against its schema)">
              {known
                .filter((t) => t.kind === "registry")
                .map((t) => (
                  <option key={t.typename} value={t.typename}>
                    {t.typename}
                  </option>
                ))}
            </optgroup>
          </select>
        </label>
        <label class="wide">
          <span>
            value <span class="muted">{selected?.kind === "registry" ? "(JSON)" : "(text)"}</span>
          </span>
          <textarea
            ref={valueInput}
            name="value"
            rows={selected?.kind === "registry" ? 8 : 3}
            spellcheck={false}
            aria-invalid={violations.length > 0}
            aria-describedby="value-problems"
            placeholder={selected?.kind === "registry" ? '{ "name": "Bob" }' : "Bob"}
            value={value}
            onInput={(e) => {
              const text = (e.target as HTMLTextAreaElement).value;
              setValue(text);
              if (violations.length > 0) check(text);
            }}
          />
        </label>
        <div id="value-problems" class="wide" aria-live="polite">
          {violations.length > 0 ? (
            <div class="error" role="alert" data-testid="violations">
              <strong>Not a valid {typename}; nothing was sent.</strong>
              <ul class="violations">
                {violations.map((v) => (
                  <li key={v.pointer + v.message}>
                    <code>{v.pointer === "" ? "(root)" : v.pointer}</code> {v.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <div class="wide toolbar">
          <button type="submit" class="primary" disabled={busy}>
            Send (Ctrl+Enter)
          </button>
          {example !== undefined ? (
            <button
              type="button"
              onClick={() => {
                const text = JSON.stringify(example, null, 2);
                setValue(text);
                check(text);
              }}
            >
              Insert the schema's example
            </button>
          ) : null}
          {selected?.schema ? (
            <details class="schema">
              <summary>schema of {typename}</summary>
              <pre class="value json">{JSON.stringify(selected.schema, null, 2)}</pre>
            </details>
          ) : null}
        </div>
        <div class="wide" aria-live="polite" data-testid="send-result">
          {result?.ok ? (
            <p class="ok-box">
              Accepted: message #{result.answer.seq} ({result.answer.bytes} bytes of{" "}
              {result.answer.typename}) to{" "}
              {namespace && type ? (
                <a href={href("address", [namespace, type, id])}>{result.answer.target}</a>
              ) : (
                result.answer.target
              )}
              .
            </p>
          ) : null}
          {result && !result.ok ? (
            <p class="error" role="alert">
              Refused: {result.error}
            </p>
          ) : null}
        </div>
      </form>
    </section>
  );
}
