// Hover text for release-related fields, resolved from the YAML syntax tree by apiVersion/kind
// and field path. Pure: the VS Code provider only turns the result into a Hover.
import { deploymentRollingUpdate, simulateRollingUpdate, timelineMarkdown, InvalidRollingParameters } from '../strategy/rollingTimeline';
import { documentAt, getIn, nodeAt, type ParsedFile } from '../yaml/documents';
import { findFieldDoc, type FieldDoc } from './fieldDocs';

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
  doc: FieldDoc;
}

/** The API group of an apiVersion ('' for core v1). */
export function apiGroup(apiVersion: string | undefined): string | undefined {
  if (!apiVersion) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export interface HoverOptions {
  /**
   * Another hover (a JSON-schema description from Red Hat's YAML extension, say) already says what
   * the field is: leave out our summary and keep what only Switchyard adds (default, release impact,
   * timeline, reference).
   */
  besideSchemaHover?: boolean;
}

export function hoverAt(file: ParsedFile, offset: number, options: HoverOptions = {}): HoverResult | undefined {
  const parsed = documentAt(file, offset);
  if (!parsed?.kind) return undefined;
  const group = apiGroup(parsed.apiVersion);
  if (group === undefined) return undefined;
  const at = nodeAt(parsed, offset);
  if (!at) return undefined;
  // On a value, explain its field; a sequence item (e.g. "- setWeight: 20") resolves by its key.
  const path = at.path;
  const doc = findFieldDoc(group, parsed.kind, path);
  if (!doc) return undefined;
  const parts = [`**${doc.title}** · ${parsed.kind}`];
  if (!options.besideSchemaHover) parts.push('', doc.summary);
  const value = !at.onKey ? doc.values?.[String(getIn(parsed.value, path))] : undefined;
  if (value) parts.push('', `*\`${String(getIn(parsed.value, path))}\`:* ${value}`);
  if (doc.default) parts.push('', `*Default:* ${doc.default}`);
  parts.push('', `*Release impact:* ${doc.release}`);
  const timeline = parsed.kind === 'Deployment' && path[0] === 'spec' && path[1] === 'strategy' ? rollingTimelineFor(parsed.value) : undefined;
  if (timeline) parts.push('', timeline);
  parts.push('', `[Reference](${doc.link}) · Switchyard`);
  return { markdown: parts.join('\n'), start: at.start, end: at.end, doc };
}

function rollingTimelineFor(deployment: unknown): string {
  try {
    const { replicas, maxSurge, maxUnavailable } = deploymentRollingUpdate(deployment);
    return timelineMarkdown(simulateRollingUpdate(replicas, maxSurge, maxUnavailable));
  } catch (e) {
    if (e instanceof InvalidRollingParameters) return `*Timeline:* ${e.message}`;
    throw e;
  }
}
