/** How long ago `timestamp` was, as kubectl prints ages: 42s, 5m, 3h, 2d. */
export function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** The wall-clock time of an epoch timestamp, hours and minutes in the local time zone: "22:39". */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "disconnected since 22:39": said the same way by the status bar, the tree and the panels. */
export function disconnectedText(connection: { since?: number }): string {
  return connection.since !== undefined ? `disconnected since ${clockTime(connection.since)}` : 'disconnected';
}

/** A duration as the Argo plugin prints it (Kubernetes' HumanDuration): 90s, 5m30s, 42m, 3h59m, 20h, 3d4h, 30d. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (h < 24 * 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (h < 24 * 365 * 8) return d % 365 ? `${y}y${d % 365}d` : `${y}y`;
  return `${y}y`;
}

/**
 * When an old ReplicaSet's scale-down delay ends (its scale-down-deadline annotation), as the plugin's
 * `delay:` column says it: "scale-down in 3h59m", or "scale-down passed" once it is over.
 */
export function scaleDownText(deadline: string | undefined, now = Date.now()): string {
  const at = deadline ? Date.parse(deadline) : NaN;
  if (Number.isNaN(at)) return '';
  return at < now ? 'scale-down passed' : `scale-down in ${humanDuration(at - now)}`;
}
