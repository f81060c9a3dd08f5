// Test certificates made with the openssl CLI in a fresh temp dir: a CA, a server certificate for
// localhost/127.0.0.1, a client certificate signed by the CA, and a client certificate from another
// CA (which a server trusting only the first CA must refuse). Keys are PKCS#8 PEM (what Node,
// Netty and OkHttp read). Used by the SDK, local runtime and Flink tests of https and mutual TLS.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function openssl(dir, ...args) {
  try {
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    if (error.code === "ENOENT") {
      throw new Error("the openssl CLI is missing: install it (apt-get install -y openssl)");
    }
    throw new Error(`openssl ${args.join(" ")} failed: ${error.stderr?.toString() ?? error}`);
  }
}

function makeCa(dir, name) {
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

function makeLeaf(dir, ca, name, ext) {
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

/** Generates the set of certificates (about 1 s of openssl) in a new temp dir. */
export function makeTestCertificates() {
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
    Object.entries(files).map(([key, file]) => [key, readFileSync(file, "utf8")]),
  );
  return { dir, files, pem };
}
