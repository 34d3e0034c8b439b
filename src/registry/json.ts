/**
 * JSON bodies read through zod schemas, at the edge: what a registry (or a file on disk) sent is
 * decoded once and checked before use. The building blocks below are lenient where registries are
 * sloppy: unknown fields are ignored, and a field that is missing or of another type gets a default.
 */
import { z } from 'zod';

/** A body read through a schema: its data, or why it could not be read. */
export type BodyRead<T> =
  { ok: true; data: T } | { ok: false; reason: 'not JSON' | 'unexpected shape'; cause: unknown };

/** Decode a body (bytes or text) as JSON and read it through a schema. */
export function readJsonBody<T>(body: Uint8Array | string, schema: z.ZodType<T>): BodyRead<T> {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch (error) {
    return { ok: false, reason: 'not JSON', cause: error };
  }
  const result = schema.safeParse(value);
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, reason: 'unexpected shape', cause: result.error };
}

/** A string, or undefined when it is missing or of another type. */
export const optionalString = z.string().optional().catch(undefined);

/** A number, or undefined when it is missing or of another type. */
export const optionalNumber = z.number().optional().catch(undefined);

/** The string values of an object, other values dropped; `{}` for anything but an object. */
export const stringRecord = z
  .record(z.string(), z.unknown())
  .catch(() => ({}))
  .transform((record) => {
    const strings: Record<string, string> = {};
    for (const [key, value] of Object.entries(record))
      if (typeof value === 'string') strings[key] = value;
    return strings;
  });

/** The strings of an array, other items dropped; `[]` for anything but an array. */
export const stringList = z
  .array(z.unknown())
  .catch(() => [])
  .transform((items) => items.filter((item): item is string => typeof item === 'string'));
