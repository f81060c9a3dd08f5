// "State Expiration": values that expire after 30 minutes without a call, or without a write.
import { expireAfterCall, expireAfterWrite, Int32Type, type ValueSpec } from "@statefun-ts/sdk";

const thirtyMinutes = 30 * 60 * 1000;

// Deletes the value if the function instance goes more than 30 minutes without being called
export const expiresAfterCall: ValueSpec<number> = {
  name: "seen_count",
  valueType: Int32Type,
  expiration: expireAfterCall(thirtyMinutes),
};

// Deletes the value if it goes more than 30 minutes without being written
export const expiresAfterWrite: ValueSpec<number> = {
  name: "seen_count",
  valueType: Int32Type,
  expiration: expireAfterWrite(thirtyMinutes),
};
