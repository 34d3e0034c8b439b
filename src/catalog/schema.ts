/**
 * The catalog: what people write in content/catalog/*.yaml.
 *
 * One schema per file kind (initiative, SIGs, subproject). Every object is strict, so a typo in a
 * key is an error instead of a silently ignored field. Cross-file checks (unique ids, references)
 * live in validate.ts; this file only describes shapes.
 */
import { z } from 'astro/zod';
import { excerpt } from './problems.ts';
import { formatRepository, InvalidReferenceError, parseReference } from '../registry/reference.ts';

/** Lowercase, dash-separated identifier, unique within its kind. */
export const IdSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    error: 'use lowercase letters, digits and single dashes, e.g. "fedora-coreos"',
  })
  .describe('Lowercase, dash-separated identifier, e.g. "fedora-coreos".');

/** A calendar date written as YYYY-MM-DD. */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'write a date as YYYY-MM-DD, e.g. "2026-04-28"' })
  .describe('A date, YYYY-MM-DD.');

const DAY = String.raw`\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])`;
const MONTH = String.raw`\d{4}-(?:0[1-9]|1[0-2])`;
const POINT = `(?:${DAY}|${MONTH})`;

/**
 * A date as the sources give it: a day ("2026-04-28"), an approximate month ("2026-12", for a
 * source that says "approx. Dec 2026") or a range ("2026-10..2026-12"). Nothing is overdue
 * against an approximate date or a range before its period ends.
 */
export const SourceDateSchema = z
  .string()
  .regex(new RegExp(`^${POINT}(?:\\.\\.${POINT})?$`), {
    error:
      'write a day as YYYY-MM-DD ("2026-04-28"), an approximate month as YYYY-MM ("2026-12") or a range as FROM..TO ("2026-10..2026-12")',
  })
  .refine(
    (value) => {
      const [from, to] = value.split('..');
      return to === undefined || from! <= to;
    },
    { error: 'a range runs from the earlier date to the later one, e.g. "2026-10..2026-12"' },
  )
  .describe(
    'A day (YYYY-MM-DD), an approximate month (YYYY-MM, shown "approx. Dec 2026") or a range FROM..TO.',
  );

const HttpsUrlSchema = z
  .string()
  .regex(/^https?:\/\/[^\s/$.?#].[^\s]*$/, {
    error:
      'write a full URL starting with https://, e.g. "https://github.com/coreos/fedora-coreos-config"',
  })
  .describe('A full http(s) URL.');

// --- Provenance: where a fact was read, and why it is not confirmed yet -------------------------
//
// Any object of the catalog may carry `provenance:`, a map keyed by the names of its own fields:
//   owner: bootc-base-images-team
//   provenance:
//     owner:
//       unverified: inferred from commit authors; there is no CODEOWNERS file
//       source: https://gitlab.com/fedora/bootc/base-images
// One optional key per object leaves the facts' own lines untouched, and a key that names no field
// of the object is an unknown key, reported with the field that was probably meant.

/** The provenance of one fact: the page it was read in, and why nobody has confirmed it yet. */
export const FactProvenanceSchema = z
  .strictObject({
    source: HttpsUrlSchema.optional().describe(
      'Where the fact was read, e.g. "https://gitlab.com/fedora/bootc/base-images".',
    ),
    unverified: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Why the fact is not confirmed yet, e.g. "inferred from commit authors; no CODEOWNERS file". Pages mark the fact and list it on /unverified/.',
      ),
  })
  .refine((fact) => fact.source !== undefined || fact.unverified !== undefined, {
    error:
      'give `source:` (the URL the fact was read in), `unverified:` (why it is not confirmed), or both',
  })
  .describe('Where a fact comes from and whether it is confirmed.');

/** Where one fact comes from: `source` (a URL) and/or `unverified` (why it is not confirmed). */
export type FactProvenance = z.output<typeof FactProvenanceSchema>;

/** Provenance of the fields of one object, keyed by field name. */
export type Provenance = Partial<Record<string, FactProvenance>>;

/** Let an object schema carry `provenance:` for any of its own fields, and for no other key. */
function withProvenance<Shape extends z.core.$ZodLooseShape>(schema: z.ZodObject<Shape>) {
  const fields = Object.keys(schema.shape).filter((field) => field !== '$schema');
  const provenance = z
    .strictObject(
      Object.fromEntries(fields.map((field) => [field, FactProvenanceSchema.optional()])) as {
        [Field in keyof Shape]: z.ZodOptional<typeof FactProvenanceSchema>;
      },
    )
    .optional()
    .describe(
      `Where the facts of this object come from, keyed by field: \`source:\` (a URL) and \`unverified:\` (why it is not confirmed).`,
    );
  return schema.extend({ provenance });
}

/**
 * A repository reference: registry host and repository, with neither tag nor digest.
 * Tags are selected under `streams:`.
 */
export const RepositoryRefSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (value.length > 255) {
      // The distribution spec caps a name at 255 characters; never echo a longer text whole.
      ctx.addIssue({
        code: 'custom',
        message: `"${excerpt(value)}" is not an image reference: a repository name has at most 255 characters.`,
      });
      return;
    }
    try {
      const reference = parseReference(value);
      if (reference.tag !== undefined || reference.digest !== undefined) {
        const repository = `${reference.host}/${reference.repository}`;
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is a ${reference.digest ? 'digest' : 'tag'} reference; list the repository here ("${repository}") and select tags under \`streams:\`.`,
        });
      } else if (!value.includes('/') || !value.split('/')[0]!.includes('.')) {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" has no registry host; write the full name, e.g. "docker.io/${reference.repository}".`,
        });
      }
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  })
  // Parsed here, once: everything after validation sees the canonical spelling.
  .transform((value) => {
    try {
      return formatRepository(parseReference(value));
    } catch {
      return value; // unreachable: the refinement above has reported it
    }
  })
  .describe('A repository reference without tag or digest, e.g. "quay.io/fedora/fedora-bootc".');

/** Chat, lists and meeting places of a group. All optional; a SIG with none is reported by the audit. */
export const ContactsSchema = z
  .strictObject({
    matrix: z
      .array(
        z.string().regex(/^#[^:\s]+:[^\s]+$/, { error: 'write a Matrix room as "#room:server"' }),
      )
      .optional()
      .describe('Matrix rooms, e.g. "#coreos:fedoraproject.org".'),
    mailingLists: z
      .array(
        z.email({ error: 'write a mailing list address, e.g. "coreos@lists.fedoraproject.org"' }),
      )
      .optional()
      .describe('Mailing list addresses.'),
    discourseTags: z
      .array(
        z.string().regex(/^[a-z0-9-]+$/, { error: 'write a Discourse tag name, e.g. "coreos"' }),
      )
      .optional()
      .describe('Tags on discussion.fedoraproject.org.'),
    meeting: z
      .string()
      .optional()
      .describe(
        'When and where the group meets, e.g. "Wednesdays 16:30 UTC in #meeting-1:fedoraproject.org".',
      ),
    tracker: HttpsUrlSchema.optional().describe('Issue tracker URL.'),
    docs: HttpsUrlSchema.optional().describe('Documentation URL.'),
    website: HttpsUrlSchema.optional().describe('Website or community forum URL.'),
  })
  .apply(withProvenance)
  .describe('Where to reach a group.');

/** A person, by the handles the forges and Fedora know them by. */
export const PersonSchema = z
  .strictObject({
    name: z.string().min(1).describe('Name as the person writes it.'),
    fas: z.string().optional().describe('Fedora Account System username.'),
    github: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, { error: 'write the GitHub login without "@"' })
      .optional()
      .describe('GitHub login, without "@".'),
    gitlab: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { error: 'write the GitLab username without "@"' })
      .optional()
      .describe('GitLab username, without "@".'),
    role: z.string().optional().describe('Role in the group, e.g. "chair".'),
  })
  .apply(withProvenance)
  .describe('A member of a SIG or working group.');

/** A SIG or working group, in content/catalog/sigs.yaml. */
export const SigSchema = z
  .strictObject({
    id: IdSchema,
    name: z.string().min(1).describe('Full name, e.g. "Fedora CoreOS Working Group".'),
    kind: z
      .enum(['sig', 'working-group', 'team', 'upstream', 'downstream', 'initiative'])
      .default('sig')
      .describe(
        'What kind of group this is; an "initiative" is time-boxed, so what it owns does not count as durably owned.',
      ),
    summary: z.string().optional().describe('One or two sentences on what the group does.'),
    contacts: ContactsSchema.default({}),
    members: z
      .array(PersonSchema)
      .default([])
      .describe('Members, where the group lists them publicly.'),
    forgeTeams: z
      .array(
        z.string().regex(/^(github|gitlab|forgejo):[^\s]+$/, {
          error:
            'write a forge team as "github:org/team", "gitlab:group/subgroup" or "forgejo:org/team"',
        }),
      )
      .default([])
      .describe('Forge teams or groups that stand for this SIG, e.g. "github:ublue-os/approver".'),
    notes: z.string().optional(),
  })
  .apply(withProvenance)
  .describe('A SIG, working group or team.');

export const SigsFileSchema = z
  .strictObject({ sigs: z.array(SigSchema).min(1) })
  .describe('content/catalog/sigs.yaml: the SIGs and working groups.');

/**
 * An owner: a SIG id, or a person or team on a forge or in FAS.
 * `coreos-wg`, `github:dustymabe`, `github:ublue-os/approver`, `gitlab:fedora/bootc`, `fas:walters`.
 */
export const OwnerSchema = z
  .string()
  .regex(/^([a-z0-9]+(?:-[a-z0-9]+)*|(github|gitlab|forgejo|fas):[^\s]+)$/, {
    error:
      'write a SIG id (e.g. "coreos-wg") or a handle such as "github:dustymabe", "gitlab:walters", "fas:walters"',
  })
  .describe(
    'A SIG id, or "github:<login>", "github:<org>/<team>", "gitlab:<user or group>", "forgejo:<user>", "fas:<user>".',
  );

export const ImageRoles = ['base', 'variant', 'ci', 'downstream', 'tool'] as const;

/** A selection of tags in an image repository: exact names, and/or a pattern with a limit. */
export const StreamSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .describe('Name of the stream as people say it, e.g. "stable" or "releases".'),
    description: z.string().optional(),
    tags: z
      .array(z.string().min(1))
      .optional()
      .describe('Exact tag names, e.g. ["stable", "testing", "next"].'),
    match: z
      .string()
      .optional()
      .describe(
        'Tag pattern with placeholders <version> (a Fedora release number or "rawhide"), <major>, <date> (YYYYMMDD), <n> (a number), <arch>, <sha> (hex), <any>, e.g. "<version>.<date>.0".',
      ),
    keep: z
      .number()
      .int()
      .positive()
      .max(500)
      .default(10)
      .describe('How many tags matching `match` to keep, newest first in version order.'),
    basedOn: RepositoryRefSchema.optional().describe(
      "The repository this stream is built on, when it differs from the image's `basedOn`.",
    ),
  })
  .apply(withProvenance)
  .refine((stream) => stream.tags !== undefined || stream.match !== undefined, {
    error: 'a stream needs `tags:` (exact names) or `match:` (a pattern), or both',
  })
  .describe('A named set of tags to track.');

/** An image repository a subproject publishes or consumes. */
export const ImageSchema = z
  .strictObject({
    ref: RepositoryRefSchema,
    role: z
      .enum(ImageRoles)
      .describe(
        'base: an official base image; variant: an official image built for a Fedora variant; ci: a development or CI image; downstream: built outside Fedora; tool: a build tool image.',
      ),
    title: z.string().optional().describe('Short human name, e.g. "Fedora CoreOS".'),
    description: z.string().optional(),
    basedOn: RepositoryRefSchema.optional().describe(
      'The repository it is declared to be built on; must be another image of the catalog. A stream may name its own.',
    ),
    builder: RepositoryRefSchema.optional().describe(
      'The image its build runs in, when that is not its base (e.g. the BUILDER_IMG of Fedora CoreOS); must be another image of the catalog.',
    ),
    mirrors: z
      .array(RepositoryRefSchema)
      .default([])
      .describe(
        'Repositories that should serve the same digests, e.g. registry.fedoraproject.org/fedora-bootc.',
      ),
    platforms: z
      .array(
        z.string().regex(/^[a-z0-9]+\/[a-z0-9]+(?:\/[a-z0-9]+)?$/, {
          error: 'write a platform as "os/architecture[/variant]", e.g. "linux/arm64"',
        }),
      )
      .default([])
      .describe('Platforms it is expected to ship, e.g. ["linux/amd64", "linux/arm64"].'),
    streams: z
      .array(StreamSchema)
      .min(1, { error: 'list at least one stream, e.g. `- { name: latest, tags: [latest] }`' })
      .describe('Which tags to track.'),
    signed: z.boolean().optional().describe('Whether the image is expected to carry signatures.'),
    notes: z.string().optional(),
  })
  .apply(withProvenance)
  .describe('An image repository.');

export const RepoRoles = ['source', 'pipeline', 'config', 'docs', 'tracker', 'tooling'] as const;

/** A source repository on a forge. */
export const RepoSchema = z
  .strictObject({
    url: HttpsUrlSchema.describe(
      'Web URL of the repository, e.g. "https://github.com/coreos/fedora-coreos-config".',
    ),
    role: z
      .enum(RepoRoles)
      .describe(
        'source: image sources; pipeline: CI/CD definitions; config: configuration such as tenants; docs; tracker: issues only; tooling.',
      ),
    description: z.string().optional(),
    notes: z.string().optional(),
  })
  .apply(withProvenance)
  .describe('A source repository.');

export const DeliverableKinds = [
  'image',
  'repo',
  'pipeline',
  'docs',
  'signing',
  'release-process',
  'tracker',
  'community',
  'konflux-tenant',
  'policy',
] as const;

/**
 * Where a deliverable stands. `owned`: stays with its owner, no transfer planned; `external`:
 * maintained outside Fedora; `proposed` → `shadowing` → `co-owned` → `handed-over`: a real
 * transfer from `owner` to `incomingOwner` (then from `previousOwner` to `owner`); `orphaned`:
 * nobody owns it.
 */
export const HandoverStates = [
  'orphaned',
  'proposed',
  'shadowing',
  'co-owned',
  'handed-over',
  'owned',
  'external',
] as const;

/** States in which a transfer is under way: the incoming owner is named and a due date applies. */
export const TransferStates = ['proposed', 'shadowing', 'co-owned'] as const;

/** Something a subproject ships or runs, with who owns it now and who takes it over. */
export const DeliverableSchema = z
  .strictObject({
    id: IdSchema,
    title: z.string().min(1),
    kind: z.enum(DeliverableKinds),
    image: RepositoryRefSchema.optional().describe(
      'The image this deliverable is, for kind "image"; for several, use `images`.',
    ),
    images: z
      .array(RepositoryRefSchema)
      .optional()
      .describe('The images this deliverable covers, when there are several.'),
    repo: HttpsUrlSchema.optional().describe('The repository this deliverable lives in.'),
    owner: OwnerSchema.optional().describe('Who owns it today; leave out when nobody does.'),
    incomingOwner: OwnerSchema.optional().describe(
      'Who it is being handed to (states proposed, shadowing, co-owned).',
    ),
    previousOwner: OwnerSchema.optional().describe(
      'For "handed-over": who handed it over to `owner`.',
    ),
    state: z
      .enum(HandoverStates)
      .describe(
        'owned: stays with its owner; external: maintained outside Fedora; proposed, shadowing, co-owned: a transfer to `incomingOwner` under way; handed-over: transferred (with `since` and `previousOwner`); orphaned: nobody owns it.',
      ),
    serves: IdSchema.optional().describe(
      'The subproject this deliverable is for, when it is listed elsewhere (e.g. a Konflux tenant); its SIGs see it on their pages.',
    ),
    since: SourceDateSchema.optional().describe(
      'When the current state began; for "handed-over", the date of the handover.',
    ),
    due: SourceDateSchema.optional().describe(
      'When the transfer should be complete: a day, an approximate month or a range.',
    ),
    notes: z.string().optional(),
  })
  .apply(withProvenance)
  .describe('A deliverable and its handover.');

/** A subproject, in content/catalog/subprojects/<id>.yaml. */
export const SubprojectSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: IdSchema,
    name: z.string().min(1),
    summary: z
      .string()
      .min(1)
      .describe(
        'One paragraph on what this subproject is, for the reader who has never heard of it.',
      ),
    official: z
      .boolean()
      .default(true)
      .describe('Whether this is part of Fedora (false for downstreams such as Universal Blue).'),
    sigs: z
      .array(IdSchema)
      .min(1, { error: 'name at least one owning SIG id from sigs.yaml' })
      .describe('Owning SIG or working group ids, from sigs.yaml.'),
    contacts: ContactsSchema.optional().describe(
      'Contacts of the subproject itself, where they differ from its SIGs.',
    ),
    repos: z.array(RepoSchema).default([]),
    images: z.array(ImageSchema).default([]),
    deliverables: z.array(DeliverableSchema).default([]),
    notes: z.string().optional(),
  })
  .apply(withProvenance)
  .describe('A subproject of the initiative.');

export const MilestonePhases = ['beta', 'production'] as const;

/** A check a milestone is measured by, evaluated from the snapshot. */
export const CriterionSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('tag-published'),
      image: RepositoryRefSchema,
      tag: z.string().min(1),
      platforms: z.array(z.string()).default([]).describe('Platforms the tag must carry.'),
    })
    .describe('An image tag exists (with these platforms).'),
  z
    .strictObject({
      kind: z.literal('built-on-base'),
      subproject: IdSchema,
      base: RepositoryRefSchema.describe(
        'The official base repository, e.g. quay.io/fedora/fedora-bootc.',
      ),
    })
    .describe(
      'Every variant and downstream image of the subproject is built on the base, by lineage.',
    ),
  z
    .strictObject({
      kind: z.literal('pipeline-builds'),
      subproject: IdSchema,
      image: RepositoryRefSchema.optional(),
    })
    .describe('A Konflux PipelineRun in one of the subproject repos builds its image.'),
  z
    .strictObject({
      kind: z.literal('released-to'),
      subproject: IdSchema,
      image: RepositoryRefSchema.describe(
        'The repository a release plan must publish to, e.g. quay.io/fedora/fedora-bootc.',
      ),
    })
    .describe(
      'A release plan exists: a release-process deliverable of the subproject that covers the image has an owner and is not proposed or orphaned.',
    ),
  z
    .strictObject({
      kind: z.literal('deliverables-owned'),
      subproject: IdSchema,
    })
    .describe('Every deliverable of the subproject has an owner and none is orphaned.'),
  z
    .strictObject({
      kind: z.literal('initiative-deliverables-owned'),
    })
    .describe(
      'Every deliverable the initiative runs itself (deliverables: in initiative.yaml) has a subproject or SIG that owns it, and none is orphaned.',
    ),
]);

/** A milestone of the initiative. */
export const MilestoneSchema = z
  .strictObject({
    id: IdSchema,
    title: z.string().min(1),
    release: z.number().int().min(40).max(60).describe('Fedora release, e.g. 44.'),
    phase: z.enum(MilestonePhases),
    label: z
      .string()
      .optional()
      .describe(
        'How the proposal words the deadline, e.g. "by Fedora 44"; shown instead of "F44 beta".',
      ),
    target: SourceDateSchema.describe(
      'Target date: a day, an approximate month ("2026-12" for "approx. Dec 2026") or a range.',
    ),
    description: z.string().optional(),
    criteria: z.array(CriterionSchema).default([]),
  })
  .apply(withProvenance)
  .describe('A milestone of the initiative.');

/** The initiative, in content/catalog/initiative.yaml. */
export const InitiativeSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    formerName: z.string().optional(),
    goal: z.string().min(1),
    lead: PersonSchema,
    sponsor: PersonSchema,
    approved: DateSchema.optional(),
    contacts: ContactsSchema,
    links: z
      .array(z.strictObject({ label: z.string().min(1), url: HttpsUrlSchema }))
      .default([])
      .describe('Proposal, Council ticket, wiki page and other references.'),
    milestones: z.array(MilestoneSchema).min(1),
    releases: z
      .array(
        z
          .strictObject({
            release: z.number().int(),
            beta: SourceDateSchema.optional(),
            ga: SourceDateSchema.optional(),
            notes: z.string().optional(),
          })
          .apply(withProvenance),
      )
      .default([])
      .describe('Fedora release dates the milestones refer to.'),
    deliverables: z
      .array(DeliverableSchema)
      .default([])
      .describe(
        "The initiative's own deliverables (its chat room, meeting, ...): it dissolves after Fedora 45, so each needs a subproject or SIG to own it. Same fields and state rules as a subproject's.",
      ),
  })
  .apply(withProvenance)
  .describe('The Image Mode initiative.');

export type Contacts = z.output<typeof ContactsSchema>;
export type Person = z.output<typeof PersonSchema>;
export type Sig = z.output<typeof SigSchema>;
export type Stream = z.output<typeof StreamSchema>;
export type Image = z.output<typeof ImageSchema>;
export type Repo = z.output<typeof RepoSchema>;
export type Deliverable = z.output<typeof DeliverableSchema>;
export type Subproject = z.output<typeof SubprojectSchema>;
export type Criterion = z.output<typeof CriterionSchema>;
export type Milestone = z.output<typeof MilestoneSchema>;
export type Initiative = z.output<typeof InitiativeSchema>;
export type HandoverState = (typeof HandoverStates)[number];
export type DeliverableKind = (typeof DeliverableKinds)[number];

/** The whole catalog, after validation. */
export interface Catalog {
  initiative: Initiative;
  sigs: Sig[];
  subprojects: Subproject[];
}
