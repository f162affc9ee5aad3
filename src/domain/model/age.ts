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
