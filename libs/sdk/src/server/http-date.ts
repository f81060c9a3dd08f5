/**
 * The `Date` header every reply carries (RFC 9110 §6.6.1: an origin server with a clock must send
 * it), formatted once per second rather than once per reply.
 */

let second = -1;
let line = "";

/** `Date: <IMF-fixdate>\r\n` for the current second. */
export function dateLine(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== second) {
    second = s;
    line = `Date: ${new Date(s * 1000).toUTCString()}\r\n`;
  }
  return line;
}
