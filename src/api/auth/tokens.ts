/**
 * @module
 * Token formats and hashing. Tokens are random and long, so a SHA-256 digest is a safe way to
 * store them (no slow hash needed); only the digest is ever stored or compared.
 *
 * - Bootstrap tokens look like kubeadm's: `abcdef.0123456789abcdef` (`[a-z0-9]{6}.[a-z0-9]{16}`).
 * - Node credentials: `node.<id>.<secret>`, id 12 and secret 32 characters of `[a-z0-9]`.
 * - API tokens (a role beside admin): `edgeset.<id>.<secret>`, the same lengths.
 */

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

export function randomString(length: number): string {
  // Rejection sampling keeps the distribution uniform over the 36 characters.
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 252 && out.length < length) out.push(alphabet[byte % 36]!);
    }
  }
  return out.join("");
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let diff = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

const bootstrapPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

export const parseBootstrapToken = (token: string): { id: string; secret: string } | undefined => {
  const m = bootstrapPattern.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
};

/** `<prefix>.<12 chars>.<32 chars>`: node credentials and API tokens. */
function longTokens(prefix: string) {
  const pattern = new RegExp(`^${prefix}\\.([a-z0-9]{12})\\.([a-z0-9]{32})$`);
  return {
    parse: (token: string): { id: string; secret: string } | undefined => {
      const m = pattern.exec(token);
      return m ? { id: m[1]!, secret: m[2]! } : undefined;
    },
    create: () => {
      const id = randomString(12);
      const secret = randomString(32);
      return { id, secret, token: `${prefix}.${id}.${secret}` };
    },
  };
}

const nodeCredentials = longTokens("node");
const apiTokens = longTokens("edgeset");

export const parseNodeCredential = nodeCredentials.parse;
export const newNodeCredential = nodeCredentials.create;
export const parseApiToken = apiTokens.parse;
export const newApiToken = apiTokens.create;

export const newBootstrapToken = () => {
  const id = randomString(6);
  const secret = randomString(16);
  return { id, secret, token: `${id}.${secret}` };
};

/** The bearer token of a request, or undefined. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1];
}
