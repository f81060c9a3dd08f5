// The shape of a broken architecture rule, shared by every check. Holds no check.

/** Which rule a violation breaks. */
export type Rule =
  | "import-cycle"
  | "package-cycle"
  | "upward-import"
  | "reserved-floor"
  | "unlisted-file"
  | "library-imports-app"
  | "internal-member"
  | "internal-on-interface";

/** One broken rule: what, where, and how to fix it in the message. */
export interface Violation {
  readonly rule: Rule;
  /** The workspace-relative file where it happens (the first file of a cycle). */
  readonly file: string;
  readonly message: string;
}
