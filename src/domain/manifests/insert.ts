// Inserting manifests into an existing YAML file at the cursor: separate them from the documents
// around with `---`, so the file stays valid multi-document YAML.

/** The text to put between `before` and `after` (the file's text around the cursor). */
export function separatedYaml(yaml: string, before: string, after: string): string {
  const body = yaml.endsWith('\n') ? yaml : `${yaml}\n`;
  const prefix = before.trim().length ? (before.endsWith('\n') ? '---\n' : '\n---\n') : '';
  const suffix = after.trim().length ? (after.startsWith('---') ? '' : '---\n') : '';
  return prefix + body + suffix;
}
