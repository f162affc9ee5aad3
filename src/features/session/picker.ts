// "Which workload?": the one picker the actions and the details panel share. It watches the
// namespaces it looks in (in each session it is given: one per context) for `owner` until they
// listed once, then finds the named workload or asks; the pick comes with the session it is in.
import * as vscode from 'vscode';
import type { ClusterSession } from '../../kube/session';
import type { WorkloadView } from '../../domain/model/workloads';
import type { ClusterController } from './controller';
import { notify } from '../lifecycle';

/** There is no workload to pick from (or not the named one): a state to explain, not a bug. */
export class NoWorkload extends Error {}

export interface PickOptions {
  /** Where to look in each session (context). */
  namespaces: readonly string[] | ((session: ClusterSession) => readonly string[]);
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

/** A workload picked, and the session (context) it is in. */
export interface Picked {
  session: ClusterSession;
  w: WorkloadView;
}

/** The workload picked, named or only one, in one of `sessions`; undefined when the user cancels; NoWorkload when there is none. */
export async function pickWorkload(sessions: readonly ClusterSession[], o: PickOptions): Promise<Picked | undefined> {
  const candidates: Picked[] = [];
  const places: string[] = [];
  const several = sessions.length > 1;
  for (const session of sessions) {
    const namespaces = typeof o.namespaces === 'function' ? o.namespaces(session) : o.namespaces;
    for (const namespace of namespaces) {
      places.push(several ? `${session.contextName}/${namespace}` : namespace);
      await session.watchNamespace(namespace, o.owner);
      await session.whenSynced(namespace);
      candidates.push(...session.workloads(namespace).filter(o.accepts ?? (() => true)).map((w) => ({ session, w })));
    }
  }
  const where = places.join(', ');
  if (o.name) {
    const found = candidates.find((c) => c.w.name === o.name);
    if (!found) throw new NoWorkload(`No ${o.what} named "${o.name}" in ${where}.`);
    return found;
  }
  if (!candidates.length) throw new NoWorkload(`No ${o.what} in ${where}.`);
  if (candidates.length === 1 && o.takeOnlyOne) return candidates[0];
  // Beside other contexts, each candidate says which context it is in.
  const pick = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.w.name, description: `${several ? `${c.session.contextName} · ` : ''}${c.w.namespace} · ${c.w.kind}`, detail: c.w.description, c })),
    { title: o.title, placeHolder: `Which ${o.what}?`, matchOnDescription: true },
  );
  return pick?.c;
}

/** What a command's arguments say of its target: its context, namespace and name, each optional. */
export interface TargetArgs {
  context?: string;
  namespace?: string;
  name?: string;
}

/**
 * The picker as the commands use it: in `session` (the context the arguments name, else the
 * primary) when they name anything, else among every context shown; in the namespace named, else the
 * watched ones, else `fallback`'s (default: the context's own namespace).
 */
export function pickTarget(
  shownSessions: () => ClusterSession[],
  session: ClusterSession,
  args: TargetArgs,
  o: Omit<PickOptions, 'namespaces' | 'name'> & { fallback?: (session: ClusterSession) => readonly string[] },
): Promise<Picked | undefined> {
  const anywhere = !args.name && !args.namespace && args.context === undefined;
  const sessions = anywhere ? shownSessions() : [];
  const namespaces = (s: ClusterSession) => (args.namespace ? [args.namespace] : s.watchedNamespaces().length ? s.watchedNamespaces() : o.fallback?.(s) ?? [s.client.contextNamespace]);
  return pickWorkload(sessions.length ? sessions : [session], { ...o, namespaces, name: args.name });
}

/** Where a picker looks in a context that watches nothing yet: the namespaces the view selects there, else the context's own. */
export function viewNamespaces(controller: Pick<ClusterController, 'selectedNamespaces'>): (s: ClusterSession) => readonly string[] {
  return (s) => {
    const selected = controller.selectedNamespaces(s.contextName);
    return Array.isArray(selected) && selected.length ? selected : [s.client.contextNamespace];
  };
}

/**
 * pickTarget for a command run without a target: a picker that finds no workload says so (an
 * information message) and gives undefined; the watches it opened for `o.owner`, in every context it
 * looked in, end with it.
 */
export async function askForTarget(
  controller: Pick<ClusterController, 'shownSessions' | 'sessions'>,
  session: ClusterSession,
  args: TargetArgs,
  o: Parameters<typeof pickTarget>[3],
): Promise<Picked | undefined> {
  try {
    return await pickTarget(() => controller.shownSessions(), session, args, o);
  } catch (e) {
    if (!(e instanceof NoWorkload)) throw e;
    void notify.info(e.message);
    return undefined;
  } finally {
    for (const s of controller.sessions()) s.release(o.owner);
  }
}
