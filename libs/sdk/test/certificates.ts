// Test certificates made with the openssl CLI in a fresh temp dir: a CA, a server certificate for
// localhost/127.0.0.1, a client certificate signed by the CA, and a client certificate from another
// CA (which a server trusting only the first CA must refuse). Keys are PKCS#8 PEM (what Node,
// Netty and OkHttp read).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificates {
  readonly dir: string;
  /** File paths. */
  readonly files: {
    readonly ca: string;
    readonly serverCert: string;
    readonly serverKey: string;
    readonly clientCert: string;
    readonly clientKey: string;
    readonly rogueCert: string;
    readonly rogueKey: string;
  };
  /** The same, read as PEM text. */
  readonly pem: { readonly [K in keyof TestCertificates["files"]]: string };
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
}

function makeLeaf(dir: string, ca: string, name: string, ext: string): void {
  openssl(
    dir,
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
  );
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    dir,
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-CAcreateserial",
    "-days",
    "2",
    "-out",
    `${name}.crt`,
    "-extfile",
    `${name}.ext`,
  );
}

/** Generates the set of certificates (about 1 s of openssl). */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-certs-"));
  makeCa(dir, "ca");
  makeCa(dir, "rogue-ca");
  makeLeaf(
    dir,
    "ca",
    "server",
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  makeLeaf(dir, "ca", "client", "extendedKeyUsage=clientAuth\n");
  makeLeaf(dir, "rogue-ca", "rogue", "extendedKeyUsage=clientAuth\n");
  const files = {
    ca: join(dir, "ca.crt"),
    serverCert: join(dir, "server.crt"),
    serverKey: join(dir, "server.key"),
    clientCert: join(dir, "client.crt"),
    clientKey: join(dir, "client.key"),
    rogueCert: join(dir, "rogue.crt"),
    rogueKey: join(dir, "rogue.key"),
  };
  const pem = Object.fromEntries(
    Object.entries(files).map(([k, f]) => [k, readFileSync(f, "utf8")]),
  ) as TestCertificates["pem"];
  return { dir, files, pem };
}
