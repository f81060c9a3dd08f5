// Dead letters: messages the runtime gave up on, with their reason and attempts; replay or drop.
import type { OverviewResponse } from "../api-types.js";
import { useApi } from "../use-api.js";

export function DeadLettersView() {
  const overview = useApi<OverviewResponse>("overview", ["dead-letters"]);
  return (
    <section aria-labelledby="dead-letters-title">
      <h1 id="dead-letters-title">Dead letters</h1>
      {overview.data && !overview.data.deadLetters ? (
        <p class="note">
          This runtime keeps no dead letters: a failing batch stays queued and is retried.
        </p>
      ) : null}
    </section>
  );
}
