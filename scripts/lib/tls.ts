/**
 * @module
 * The local control plane's TLS certificate. kubectl sends bearer tokens only over https, so
 * `npm start` serves https with a self-signed certificate valid for localhost, 127.0.0.1 and ::1,
 * made once with openssl and trusted by the kubeconfig (certificate-authority-data) and the
 * demo agent (--ca-file).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export function ensureLocalCertificate(dir: string): TlsFiles {
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  if (existsSync(certFile) && existsSync(keyFile)) return { certFile, keyFile };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    execFileSync(
      "openssl",
      [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "825",
        "-subj", "/CN=edgeset local control plane",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-keyout", keyFile, "-out", certFile,
      ],
      { stdio: "pipe" },
    );
  } catch (error) {
    throw new Error(`could not create a TLS certificate with openssl (is it installed?): ${(error as Error).message}`);
  }
  return { certFile, keyFile };
}
