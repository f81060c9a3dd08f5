// Dead letters: messages the runtime gave up on, with their reason and attempts; replay or drop.
import { useState } from "preact/hooks";
import { ApiError, deleteJson, postJson } from "../api.js";
import type { DeadLetterJson, DeadLettersResponse } from "../api-types.js";
import { AddressLink } from "../components/address-link.js";
import { TimeView } from "../components/time-view.js";
import { InlineValue } from "../components/value-view.js";
import { useApi } from "../use-api.js";

function Row({
  letter,
  onDone,
}: {
  letter: DeadLetterJson;
  onDone: (text: string, ok: boolean) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (what: "replay" | "drop") => {
    setBusy(true);
    try {
      if (what === "replay") {
        await postJson(`dead-letters/${letter.n}/replay`);
        onDone(`Dead letter #${letter.n} is back in the queue of its address.`, true);
      } else {
        await deleteJson(`dead-letters/${letter.n}`);
        onDone(`Dead letter #${letter.n} dropped.`, true);
      }
    } catch (error) {
      onDone(error instanceof ApiError ? error.message : String(error), false);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <tr data-dead-letter={letter.n}>
      <td class="num">#{letter.n}</td>
      <td>
        <AddressLink address={letter.address} />
        <div class="small muted">
          {letter.caller ? (
            <>
              from <AddressLink address={letter.caller} />
            </>
          ) : (
            "from the ingress"
          )}
        </div>
      </td>
      <td>
        <div class="reason-block bad" data-testid="dead-letter-reason">
          {letter.reason}
        </div>
      </td>
      <td class="num">{letter.attempts}</td>
      <td>
        <InlineValue value={letter.argument} />
      </td>
      <td>
        <TimeView at={letter.failedAt} />
      </td>
      <td class="actions">
        <button
          type="button"
          disabled={busy}
          onClick={() => void act("replay")}
          title="put it back at the end of its address's queue"
        >
          Replay
        </button>{" "}
        {confirming ? (
          <>
            <button type="button" class="danger" disabled={busy} onClick={() => void act("drop")}>
              Drop #{letter.n} for good
            </button>{" "}
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(true)}>
            Drop…
          </button>
        )}
      </td>
    </tr>
  );
}

export function DeadLettersView() {
  const { data, error, reload } = useApi<DeadLettersResponse>("dead-letters?limit=200", [
    "dead-letters",
  ]);
  const [notice, setNotice] = useState<{ text: string; ok: boolean } | null>(null);
  return (
    <section aria-labelledby="dead-letters-title">
      <h1 id="dead-letters-title">
        Dead letters {data ? <span class="count">{data.total}</span> : null}
      </h1>
      <p class="muted small">
        Messages a function can never accept (an unknown function type, a request refused as bad or
        too large, a reply the runtime rejects) are set aside here after a few attempts, so their
        address moves on. Fix the cause, then replay them; or drop them.
      </p>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div aria-live="polite">
        {notice ? (
          <p class={notice.ok ? "ok-box" : "error"} role={notice.ok ? "status" : "alert"}>
            {notice.text}
          </p>
        ) : null}
      </div>
      {data ? (
        <table class="grid" data-testid="dead-letters">
          <thead>
            <tr>
              <th class="num">#</th>
              <th>address</th>
              <th>reason</th>
              <th class="num">attempts</th>
              <th>value</th>
              <th>set aside</th>
              <th>actions</th>
            </tr>
          </thead>
          <tbody>
            {data.deadLetters.length === 0 ? (
              <tr>
                <td colSpan={7} class="muted">
                  No dead letter.
                </td>
              </tr>
            ) : null}
            {data.deadLetters.map((letter) => (
              <Row
                key={letter.n}
                letter={letter}
                onDone={(text, ok) => {
                  setNotice({ text, ok });
                  reload();
                }}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {data && data.total > data.deadLetters.length ? (
        <p class="muted small">
          The first {data.deadLetters.length} of {data.total} shown; the API pages with{" "}
          <code>?from=</code>.
        </p>
      ) : null}
    </section>
  );
}
