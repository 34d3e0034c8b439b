/** What the subproject pages show at a glance: the first sentence of a summary and the counts per subproject. Pure functions, no Astro. */
import type { HandoverState, Sig, Subproject } from '../catalog/index.ts';
import type { SourceStatus } from '../snapshot/index.ts';
import { listImages } from './images.ts';
import { countStates, sigsOf } from './owners.ts';
import { countStatuses, type SiteData } from './views.ts';

/** Cut a summary down to its first sentence, ending with one full stop, for descriptions and tables. */
export function firstSentence(summary: string): string {
  const first = summary.split('. ')[0]!;
  return first.endsWith('.') ? first : `${first}.`;
}

/** One subproject with its owning SIGs and how its images and deliverables stand. */
export interface SubprojectSummary {
  subproject: Subproject;
  sigs: Sig[];
  /** Number of images it lists. */
  images: number;
  /** Its images per data status. */
  statuses: Record<SourceStatus, number>;
  /** Its deliverables per handover state. */
  states: Record<HandoverState, number>;
}

/** Sum up every subproject, in catalog order. */
export function summarizeSubprojects(data: SiteData): SubprojectSummary[] {
  const images = listImages(data);
  return data.catalog.subprojects.map((subproject) => {
    const own = images.filter((view) => view.subproject.id === subproject.id);
    return {
      subproject,
      sigs: sigsOf(data.catalog, subproject),
      images: own.length,
      statuses: countStatuses(own.map((view) => view.snapshot)),
      states: countStates(subproject.deliverables),
    };
  });
}
