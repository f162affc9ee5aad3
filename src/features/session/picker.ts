// "Which workload?": the one picker the actions and the details panel share. It watches the
// namespaces it looks in for `owner` until they listed once, then finds the named workload or asks.
import * as vscode from 'vscode';
import type { ClusterSession } from '../../kube/session';
import type { WorkloadView } from '../../domain/model/workloads';

/** There is no workload to pick from (or not the named one): a state to explain, not a bug. */
export class NoWorkload extends Error {}

export interface PickOptions {
  namespaces: readonly string[];
  /** Watch owner while looking; the caller releases it when done. */
  owner: string;
  /** What the caller can act on (default: every workload). */
  accepts?: (w: WorkloadView) => boolean;
  /** How to name one in messages ("blue/green pair"). */
  what: string;
  /** The workload's name as the tree shows it: found without asking. */
  name?: string;
  /** With a single candidate, take it without asking. */
  takeOnlyOne?: boolean;
  title: string;
}

/** The workload picked, named or only one; undefined when the user cancels; NoWorkload when there is none. */
export async function pickWorkload(session: ClusterSession, o: PickOptions): Promise<WorkloadView | undefined> {
  const candidates: WorkloadView[] = [];
  for (const namespace of o.namespaces) {
    await session.watchNamespace(namespace, o.owner);
    await session.whenSynced(namespace);
    candidates.push(...session.workloads(namespace).filter(o.accepts ?? (() => true)));
  }
  const where = o.namespaces.join(', ');
  if (o.name) {
    const found = candidates.find((w) => w.name === o.name);
    if (!found) throw new NoWorkload(`No ${o.what} named "${o.name}" in ${where}.`);
    return found;
  }
  if (!candidates.length) throw new NoWorkload(`No ${o.what} in ${where}.`);
  if (candidates.length === 1 && o.takeOnlyOne) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((w) => ({ label: w.name, description: `${w.namespace} · ${w.kind}`, detail: w.description, w })),
    { title: o.title, placeHolder: `Which ${o.what}?`, matchOnDescription: true },
  );
  return pick?.w;
}
