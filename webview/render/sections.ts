// Which sections of a panel to swap: the webview keeps the markup it last put in each section and
// replaces only those whose markup changed, so one pod turning Ready re-renders the revisions, not
// the charts or the buttons the user is about to press.
export interface Section {
  key: string;
  html: string;
}

export interface SectionPatch {
  /** Keys whose markup is new or changed, in order. */
  changed: string[];
  /** Keys on screen that are no longer rendered. */
  removed: string[];
  /** Every key, in order on screen. */
  order: string[];
}

export function diffSections(previous: ReadonlyMap<string, string>, next: readonly Section[]): SectionPatch {
  const keys = new Set(next.map((s) => s.key));
  return {
    changed: next.filter((s) => previous.get(s.key) !== s.html).map((s) => s.key),
    removed: [...previous.keys()].filter((k) => !keys.has(k)),
    order: next.map((s) => s.key),
  };
}
