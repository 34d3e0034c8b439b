/**
 * Registry authentication: the `WWW-Authenticate` challenge, anonymous or Basic-authenticated
 * Bearer tokens cached per scope until they expire, and Basic credentials from the usual auth files
 * (REGISTRY_AUTH_FILE, containers auth.json, docker config.json).
 * @see https://distribution.github.io/distribution/spec/auth/token/
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { optionalNumber, optionalString, readJsonBody, type BodyRead } from './json.ts';

/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  scheme: 'bearer' | 'basic' | 'other';
  params: Record<string, string>;
}

/** Parse a `WWW-Authenticate` header (`Bearer realm="…",service="…",scope="…"`). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const word = match[1]!.toLowerCase();
  const scheme = word === 'bearer' ? 'bearer' : word === 'basic' ? 'basic' : 'other';
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(match[2]!)) !== null) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
  }
  return { scheme, params };
}

/** A username and password for one registry. */
export interface Credentials {
  username: string;
  password: string;
}

/** Reads files; injected so tests can feed auth files. */
export type ReadText = (file: string) => Promise<string>;

const defaultReadText: ReadText = (file) => readFile(file, 'utf8');

function decodeAuth(auth: string): Credentials | undefined {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Keys an auth file may use for a host: `host`, `https://host`, `http://host`, `host/v1/` forms. */
function candidateKeys(host: string): string[] {
  const keys = [
    host,
    `https://${host}`,
    `http://${host}`,
    `https://${host}/v1/`,
    `https://${host}/v2/`,
  ];
  if (host === 'docker.io')
    keys.push('https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io');
  return keys;
}

/** An auth file (containers auth.json, docker config.json): credentials by registry key. */
const AuthFileSchema = z.object({
  auths: z.record(
    z.string(),
    z
      .object({ auth: optionalString, username: optionalString, password: optionalString })
      .catch(() => ({})),
  ),
});

/**
 * Find Basic credentials for a registry host in the auth files, in order (first file with an entry wins).
 * Missing or unreadable files are skipped; credential helpers are not run.
 */
export async function findCredentials(
  host: string,
  files: string[],
  readText: ReadText = defaultReadText,
): Promise<Credentials | undefined> {
  for (const file of files) {
    let text: string;
    try {
      text = await readText(file);
    } catch {
      continue;
    }
    const read = readJsonBody(text, AuthFileSchema);
    if (!read.ok) continue;
    for (const key of candidateKeys(host)) {
      const entry = read.data.auths[key];
      if (!entry) continue;
      if (entry.auth !== undefined) {
        const credentials = decodeAuth(entry.auth);
        if (credentials) return credentials;
      }
      if (entry.username !== undefined && entry.password !== undefined) {
        return { username: entry.username, password: entry.password };
      }
    }
  }
  return undefined;
}

/**
 * Token servers on another host than their registry's, by registry host: the registry's
 * credentials may go to them. Docker Hub's registry asks for tokens at auth.docker.io.
 */
const TOKEN_SERVERS: Record<string, readonly string[]> = {
  'registry-1.docker.io': ['auth.docker.io'],
};

/**
 * Tell whether a registry's Basic credentials may go to a token realm: only when the realm is on
 * the registry's host name (not over plain HTTP when the registry uses HTTPS), or is the
 * registry's known token server. A realm is named by whoever answered the 401, so any other host
 * gets no password.
 */
export function mayReceiveCredentials(registryOrigin: string, realm: URL): boolean {
  const registry = new URL(registryOrigin);
  if (registry.protocol === 'https:' && realm.protocol !== 'https:') return false;
  return (
    realm.hostname === registry.hostname ||
    (TOKEN_SERVERS[registry.hostname] ?? []).includes(realm.hostname)
  );
}

/** Format a Basic Authorization header value. */
export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Bearer tokens cached by realm, service and scope until shortly before they expire. */
export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #now: () => number;
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }
  static key(realm: string, service: string, scope: string): string {
    return `${realm}\n${service}\n${scope}`;
  }
  /** Return a token that is still valid for at least 5 s, if any. */
  get(key: string): string | undefined {
    const entry = this.#tokens.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt - 5_000 <= this.#now()) {
      this.#tokens.delete(key);
      return undefined;
    }
    return entry.token;
  }
  /** Store a token with its lifetime (`expires_in` seconds, at least 60, from `issued_at` or now). */
  set(
    key: string,
    token: string,
    expiresIn: number | undefined,
    issuedAt: string | undefined,
  ): void {
    const lifetime = Math.max(
      60,
      typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? expiresIn : 60,
    );
    const issued = issuedAt ? Date.parse(issuedAt) : NaN;
    const start = Number.isFinite(issued) ? Math.min(issued, this.#now()) : this.#now();
    this.#tokens.set(key, { token, expiresAt: start + lifetime * 1000 });
  }
  /** Forget a token the registry refused. */
  delete(key: string): void {
    this.#tokens.delete(key);
  }
}

const TokenReplySchema = z
  .object({
    token: optionalString,
    access_token: optionalString,
    expires_in: optionalNumber,
    issued_at: optionalString,
  })
  .transform((reply, context) => {
    const token = reply.token || reply.access_token;
    if (!token) {
      context.issues.push({ code: 'custom', message: 'no token', input: reply });
      return z.NEVER;
    }
    return { token, expiresIn: reply.expires_in, issuedAt: reply.issued_at };
  });

/** Parse a token endpoint reply: `{token}` or `{access_token}`, with `expires_in` and `issued_at`. */
export function parseTokenReply(body: Uint8Array): BodyRead<z.output<typeof TokenReplySchema>> {
  return readJsonBody(body, TokenReplySchema);
}
