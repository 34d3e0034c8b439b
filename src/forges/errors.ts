/**
 * Forge errors. Messages say what failed, where, and what to do; they never carry a token,
 * a request header or a response body beyond the forge's own one-line message.
 */

/** Display names of the forges, for messages. */
export const FORGE_NAMES = {
  github: 'GitHub',
  gitlab: 'GitLab',
  forgejo: 'Forgejo',
  pagure: 'Pagure',
  other: 'forge',
} as const;

/** Something went wrong talking to a forge about one repository. */
export class ForgeError extends Error {
  override name = 'ForgeError';
  readonly host: string;
  readonly status: number | undefined;
  constructor(host: string, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.host = host;
    this.status = options.status;
  }
}

/** The repository does not exist, or is private and the token (if any) cannot read it. */
export class RepoNotFoundError extends ForgeError {
  override name = 'RepoNotFoundError';
}

/** The forge could not be reached at all (DNS, connection, TLS); the sync stops asking it. */
export class ForgeUnreachableError extends ForgeError {
  override name = 'ForgeUnreachableError';
}

/**
 * The forge's rate limit is spent and resets too late to wait for. The sync stops asking that
 * forge; its repos keep their last good data.
 */
export class RateLimitError extends ForgeError {
  override name = 'RateLimitError';
  readonly resetAt: Date;
  constructor(host: string, message: string, resetAt: Date, options: { status?: number } = {}) {
    super(host, message, options);
    this.resetAt = resetAt;
  }
}

/** Format a wait for a message: "45 s", "12 min", "2 h 5 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 120) return `${minutes} min`;
  return minutes % 60 === 0
    ? `${minutes / 60} h`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Build the message of a rate limit that stops a forge. */
export function rateLimitMessage(
  forgeName: string,
  host: string,
  resetAt: Date,
  now: Date,
  hint: string,
): string {
  const wait = formatWait((resetAt.getTime() - now.getTime()) / 1000);
  return `${forgeName} rate limit reached on ${host}; it resets at ${resetAt.toISOString()} (in ${wait}). Skipping the remaining ${forgeName} repositories; ${hint}`;
}
