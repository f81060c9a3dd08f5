/** The files of {@link makeTestCertificates}: CA, server, client, and a client of another CA. */
export interface TestCertificateFiles {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly rogueCert: string;
  readonly rogueKey: string;
}

export interface TestCertificates {
  /** The temp dir holding them (remove it when done). */
  readonly dir: string;
  /** File paths. */
  readonly files: TestCertificateFiles;
  /** The same, read as PEM text. */
  readonly pem: TestCertificateFiles;
}

/** Generates test certificates with the openssl CLI in a new temp dir. */
export function makeTestCertificates(): TestCertificates;
