/**
 * The lineage graph: every image of the catalog as a node, an edge from each base to the images
 * built on it, laid out at build time in columns by depth (bases left, their children to the
 * right). An edge is verified when a tag's layers or annotations confirm the base, declared when
 * only the catalog says so.
 */
import { canonicalRepository } from '../catalog/index.ts';
import { baseRepository, type ImageView } from './images.ts';
import { imagePath } from './links.ts';

/** A placed node. */
export interface GraphNode {
  ref: string;
  title: string;
  role: ImageView['image']['role'];
  href: string;
  x: number;
  y: number;
  /** The image whose neighbourhood is drawn. */
  current: boolean;
}

/** A placed edge from a base to an image built on it. */
export interface GraphEdge {
  from: string;
  to: string;
  verified: boolean;
  /** SVG path data from the right side of the base to the left side of the child. */
  d: string;
}

/** A laid-out graph, in SVG user units. */
export interface LineageGraph {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 70;
const ROW_GAP = 14;
const MARGIN = 8;

/** The bases each image's tags name, found once per snapshot record: base repository → verified by some tag. */
const basesByRecord = new WeakMap<ImageView['snapshot'], Map<string, boolean>>();

/** List the repositories an image's tags are built on, each verified when some tag's layers or annotations confirm it. */
function tagBases(view: ImageView): Map<string, boolean> {
  let bases = basesByRecord.get(view.snapshot);
  if (!bases) {
    bases = new Map();
    for (const tag of view.snapshot.tags) {
      if (!tag.basedOn) continue;
      const base = canonicalRepository(baseRepository(tag.basedOn));
      bases.set(base, (bases.get(base) ?? false) || tag.basedOn.verified);
    }
    basesByRecord.set(view.snapshot, bases);
  }
  return bases;
}

/** List the base → image relations among the images: declared in the catalog or found in tags, verified when a tag confirms it. */
export function lineageEdges(
  images: ImageView[],
): { from: string; to: string; verified: boolean }[] {
  const known = new Set(images.map((view) => view.ref));
  const edges = new Map<string, { from: string; to: string; verified: boolean }>();
  const add = (from: string, to: string, verified: boolean) => {
    if (!known.has(from) || from === to) return;
    const key = `${from} ${to}`;
    const edge = edges.get(key);
    if (edge) edge.verified ||= verified;
    else edges.set(key, { from, to, verified });
  };
  for (const view of images) {
    if (view.image.basedOn) add(canonicalRepository(view.image.basedOn), view.ref, false);
    for (const [base, verified] of tagBases(view)) add(base, view.ref, verified);
  }
  return [...edges.values()];
}

/** Lay out a graph of the images and the relations among them. */
export function layoutLineage(images: ImageView[], currentRef?: string): LineageGraph {
  const edges = lineageEdges(images);
  const parents = new Map<string, string[]>();
  for (const edge of edges) parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);
  const depths = new Map<string, number>();
  const depthOf = (ref: string, seen: Set<string>): number => {
    const known = depths.get(ref);
    if (known !== undefined) return known;
    if (seen.has(ref)) return 0;
    seen.add(ref);
    const depth = Math.max(-1, ...(parents.get(ref) ?? []).map((p) => depthOf(p, seen))) + 1;
    depths.set(ref, depth);
    return depth;
  };
  const columns: ImageView[][] = [];
  for (const view of images) (columns[depthOf(view.ref, new Set())] ??= []).push(view);
  const nodes: GraphNode[] = [];
  columns.forEach((column, depth) =>
    column.forEach((view, row) =>
      nodes.push({
        ref: view.ref,
        title: view.image.title ?? view.ref.split('/').pop()!,
        role: view.image.role,
        href: imagePath(view.ref),
        x: MARGIN + depth * (NODE_WIDTH + COLUMN_GAP),
        y: MARGIN + row * (NODE_HEIGHT + ROW_GAP),
        current: view.ref === currentRef,
      }),
    ),
  );
  const at = new Map(nodes.map((node) => [node.ref, node]));
  const placed = edges.map((edge) => {
    const from = at.get(edge.from)!;
    const to = at.get(edge.to)!;
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const bend = (x2 - x1) / 2;
    return { ...edge, d: `M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}` };
  });
  const rows = Math.max(0, ...columns.map((column) => column.length));
  return {
    width: MARGIN * 2 + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP,
    height: MARGIN * 2 + rows * NODE_HEIGHT + Math.max(0, rows - 1) * ROW_GAP,
    nodes,
    edges: placed,
  };
}

/** Pick an image's neighbourhood: its bases up to the root, itself, and the images built on it. */
export function lineageNeighbourhood(images: ImageView[], ref: string): ImageView[] {
  const edges = lineageEdges(images);
  const wanted = new Set([ref]);
  const climb = (child: string) => {
    for (const edge of edges)
      if (edge.to === child && !wanted.has(edge.from)) {
        wanted.add(edge.from);
        climb(edge.from);
      }
  };
  climb(ref);
  for (const edge of edges) if (edge.from === ref) wanted.add(edge.to);
  return images.filter((view) => wanted.has(view.ref));
}

/** Shorten a text to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
