/**
 * Helpers for the deployment tests: read CI files, run a CI step's shell script with a stand-in
 * `npm` that exits with a chosen code, and expand cron schedules.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Read a YAML file of the project as plain data. */
export function readYaml(path: string): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** What a step's script did with the stand-in npm. */
export interface StepRun {
  /** Exit status of the script. */
  status: number | null;
  stdout: string;
  /** The arguments of the last `npm` call, one per entry (empty when it was not called). */
  npmArgs: string[];
  /** Every `npm` call, its arguments joined by spaces. */
  npmCalls: string[];
  /** REGISTRY_AUTH_FILE as npm saw it, and that file's content. */
  authFile: string;
  authText: string;
  /** name=value lines the script appended to $GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** The scratch folder the script ran in. */
  dir: string;
}

/**
 * Run a CI step's script with bash as the runners do (`-eo pipefail`), with an `npm` on PATH that
 * records its arguments, succeeds, and exits with `npmExit` for `npm run sync`.
 */
export function runStepScript(
  script: string,
  npmExit: number,
  env: Record<string, string> = {},
): StepRun {
  const dir = mkdtempSync(join(tmpdir(), 'ci-step-'));
  try {
    const npm = join(dir, 'npm');
    writeFileSync(
      npm,
      [
        '#!/usr/bin/env bash',
        'printf "%s\\n" "$@" > "$FAKE_DIR/npm-args"',
        'echo "$*" >> "$FAKE_DIR/npm-calls"',
        'if [ "$1 $2" != "run sync" ]; then exit 0; fi',
        'printf "%s" "${REGISTRY_AUTH_FILE:-}" > "$FAKE_DIR/auth-file"',
        'if [ -n "${REGISTRY_AUTH_FILE:-}" ]; then cat "$REGISTRY_AUTH_FILE" > "$FAKE_DIR/auth-text"; fi',
        'exit "$FAKE_NPM_EXIT"',
        '',
      ].join('\n'),
    );
    chmodSync(npm, 0o755);
    const file = join(dir, 'step.sh');
    writeFileSync(file, script);
    writeFileSync(join(dir, 'github-output'), '');
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env['PATH']}`,
        HOME: dir,
        TMPDIR: dir,
        FAKE_DIR: dir,
        FAKE_NPM_EXIT: String(npmExit),
        GITHUB_OUTPUT: join(dir, 'github-output'),
        RUNNER_TEMP: dir,
        CI_BUILDS_DIR: dir,
        ...env,
      },
    });
    const read = (name: string) => {
      try {
        return readFileSync(join(dir, name), 'utf8');
      } catch {
        return '';
      }
    };
    const outputs = Object.fromEntries(
      read('github-output')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return {
      status: result.status,
      stdout: `${result.stdout}${result.stderr}`,
      npmArgs: read('npm-args').split('\n').filter(Boolean),
      npmCalls: read('npm-calls').split('\n').filter(Boolean),
      authFile: read('auth-file'),
      authText: read('auth-text'),
      outputs,
      dir,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Expand one cron field (`*`, `*\/6`, `1-5`, `0,30`, `0-23/6`) to its values in [min, max]. */
export function expandCronField(field: string, min: number, max: number): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] =
      range === '*'
        ? [min, max]
        : range.includes('-')
          ? range.split('-').map(Number)
          : [Number(range), stepText === undefined ? Number(range) : max];
    if (![from, to, step].every(Number.isInteger) || step < 1)
      throw new Error(`Cannot read cron field "${field}".`);
    for (let value = from!; value <= to!; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** The minutes of a day (0-1439) at which a daily cron schedule fires; throws for day-dependent ones. */
export function cronMinutesOfDay(expression: string): number[] {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`"${expression}" is not a 5-field cron expression.`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  if ([dayOfMonth, month, dayOfWeek].some((field) => field !== '*'))
    throw new Error(`"${expression}" does not run every day.`);
  return expandCronField(hour, 0, 23).flatMap((h) =>
    expandCronField(minute, 0, 59).map((m) => h * 60 + m),
  );
}
