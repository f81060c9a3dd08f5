/**
 * The deadline of a batch whose functions are asynchronous (`invocationTimeoutMs`): past it, the
 * batch's reply promise rejects with a {@link FunctionInvocationError} naming the function type,
 * the id and the limit, and the batch is abandoned: no further invocation of it runs and nothing it
 * does afterwards reaches any reply.
 */

import { FunctionInvocationError } from "./errors.js";

/** One async batch's deadline. */
export class BatchDeadline {
  /** Set once the limit has passed; the dispatcher then runs no further invocation. */
  expired = false;
  /** The invocation (0-based) running now, for the error text. */
  current = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly where: string,
    private readonly count: number,
  ) {}

  /** `work`, or a rejection once the limit passes first. The timer never outlives the batch. */
  guard(work: Promise<Uint8Array>): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.expired = true;
        reject(
          new FunctionInvocationError(
            `function ${this.where} did not finish its batch within invocationTimeoutMs = ${this.timeoutMs} ms (invocation ${this.current + 1} of ${this.count} still running); nothing of the batch was applied and the runtime will retry it`,
          ),
        );
      }, this.timeoutMs);
      // A hanging function must not keep the process alive on its own.
      (timer as { unref?: () => void }).unref?.();
      work.then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
