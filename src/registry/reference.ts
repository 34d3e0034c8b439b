/**
 * Image references, parsed without I/O.
 *
 * A reference names a repository on a registry host, optionally with a tag and/or a digest:
 * `quay.io/fedora/fedora-bootc:44`, `ghcr.io/ublue-os/bluefin@sha256:…`, `nginx` (Docker Hub).
 * @see https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */

/** The host Docker Hub names live on, as people write it. */
export const DOCKER_HUB_HOST = 'docker.io';
/** The host Docker Hub's registry API answers on. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

const REPOSITORY_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
/** A registry host as the distribution grammar has it: domain name or [IPv6], optional :port. */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);
/** Longest name (host and repository, as written), as containers/image and the OCI spec limit it. */
const NAME_MAX_LENGTH = 255;
const IMAGE_ID = /^[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** A parsed image reference. */
export interface Reference {
  /** Registry host as written, with port if any (`quay.io`, `127.0.0.1:5000`, `docker.io`). */
  host: string;
  /** Repository path on that host (`fedora/fedora-bootc`, `library/nginx`). */
  repository: string;
  /** Tag, if the reference has one. */
  tag?: string;
  /** Digest (`sha256:<hex>`), if the reference has one. */
  digest?: string;
}

/** An error in the text of a reference; `message` says what to write instead. */
export class InvalidReferenceError extends Error {
  override name = 'InvalidReferenceError';
  readonly input: string;
  constructor(message: string, input: string) {
    super(message);
    this.input = input;
  }
}

/** Tell whether the first path component of a reference is a registry host (as Docker tells). */
function looksLikeHost(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost' ||
    component !== component.toLowerCase()
  );
}

/**
 * Parse an image reference such as `quay.io/fedora/fedora-bootc:44`.
 * A name without a host is on Docker Hub, and a one-component Docker Hub name is under `library/`.
 */
export function parseReference(input: string): Reference {
  const text = input.trim();
  if (text === '') throw new InvalidReferenceError('An image reference cannot be empty.', input);
  if (/^[a-z]+:\/\//i.test(text)) {
    throw new InvalidReferenceError(
      `"${input}" is a URL; write the reference without a scheme, e.g. "quay.io/fedora/fedora-bootc".`,
      input,
    );
  }

  if (IMAGE_ID.test(text)) {
    throw new InvalidReferenceError(
      `"${input}" is a 64-character hexadecimal image ID, not a repository; write the repository name, or prefix the ID with "sha256:" after an "@" in a reference.`,
      input,
    );
  }

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new InvalidReferenceError(
        `"${input}" has an invalid digest "${digest}"; a digest is "sha256:" followed by 64 lowercase hex digits.`,
        input,
      );
    }
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw new InvalidReferenceError(
        `"${input}" has an invalid tag "${tag}"; a tag is up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".`,
        input,
      );
    }
  }

  if (rest.length > NAME_MAX_LENGTH) {
    throw new InvalidReferenceError(
      `"${input}" has a name of ${rest.length} characters (host and repository as written); a name is at most ${NAME_MAX_LENGTH} characters.`,
      input,
    );
  }
  const components = rest.split('/');
  let host = DOCKER_HUB_HOST;
  if (components.length > 1 && looksLikeHost(components[0]!)) {
    host = components.shift()!;
    if (!HOST.test(host)) {
      throw new InvalidReferenceError(
        `"${input}" has an invalid registry host "${host}"; a host is a domain name (letters, digits and inner "-" between dots), an IPv4 address or an IPv6 address in brackets, with an optional ":port" of digits.`,
        input,
      );
    }
  }
  if (host === 'index.docker.io' || host === DOCKER_HUB_API_HOST) host = DOCKER_HUB_HOST;
  if (host === DOCKER_HUB_HOST && components.length === 1) components.unshift('library');

  for (const component of components) {
    if (!REPOSITORY_COMPONENT.test(component)) {
      throw new InvalidReferenceError(
        `"${input}" has an invalid repository path component "${component}"; use lowercase letters, digits and single separators (".", "_", "__", "-").`,
        input,
      );
    }
  }
  const reference: Reference = { host, repository: components.join('/') };
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** Format a reference back to its canonical text (`host/repository[:tag][@digest]`). */
export function formatReference(reference: Reference): string {
  let text = `${reference.host}/${reference.repository}`;
  if (reference.tag) text += `:${reference.tag}`;
  if (reference.digest) text += `@${reference.digest}`;
  return text;
}

/** Format the repository part of a reference (`host/repository`), the form the catalog lists. */
export function formatRepository(reference: Pick<Reference, 'host' | 'repository'>): string {
  return `${reference.host}/${reference.repository}`;
}

/** Tell whether a string is a valid tag. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** Tell whether a string is a valid digest of a supported algorithm (sha256, sha512). */
export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}
