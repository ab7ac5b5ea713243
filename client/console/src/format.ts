/** Texts for times, kinds, languages and paging states, as staff read them (English). */

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A duration as a person reads it at a glance: "45 s", "4 min 05 s", "2 h 03 min", "3 d 4 h".
 * Negative durations (a clock a little behind the server's) count as zero.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${pad(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${pad(minutes % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A time of day in the browser's zone, 24-hour with seconds: "14:03:09". */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export const KIND_LABELS: Record<string, string> = {
  imminent: 'Imminent risk',
  disclosure: 'Disclosure',
  'third-party': 'Someone else at risk',
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/**
 * The screen's reasons as staff read them: "en:crisis:want-to-die, es:imminent:ahora" becomes
 * "crisis: want to die; imminent: ahora" (the rules' language prefix dropped, dashes as spaces).
 */
export function reasonText(reason: string): string {
  return reason
    .split(/,\s*/)
    .filter(Boolean)
    .map((rule) => {
      const parts = rule.split(':');
      const [group, name] =
        parts.length >= 3 ? [parts[1], parts.slice(2).join(':')] : parts.length === 2 ? parts : [null, parts[0]];
      const words = name.replace(/[-_]+/g, ' ').trim();
      return group ? `${group}: ${words}` : words;
    })
    .join('; ');
}

const LANGUAGES: Record<string, string> = { en: 'English', es: 'Spanish' };

/** The visitor's language by name ("Spanish"), or its code when unknown. */
export function languageName(code: string): string {
  return LANGUAGES[code] ?? code.toUpperCase();
}

export const PAGING_LABELS: Record<string, string> = {
  failed: 'Paging failed',
  retrying: 'Paging: retrying',
  pending: 'Paging: sending',
  delivered: 'Paged',
  'not-configured': 'No pager configured',
};

export function pagingLabel(state: string): string {
  return PAGING_LABELS[state] ?? state;
}

/** When an unacknowledged flag escalates (it was raised `escalationMinutes` earlier), or null. */
export function escalatesAt(createdAt: string, escalationMinutes: number | null): number | null {
  return escalationMinutes === null ? null : Date.parse(createdAt) + escalationMinutes * 60_000;
}

/** A date and time in the browser's zone: "2026-11-29 14:03". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export const STATUS_LABELS: Record<string, string> = {
  published: 'Published',
  draft: 'Draft waiting',
  new: 'New, never published',
  retiring: 'Retirement waiting',
  retired: 'Retired',
};

/** An entry's status as editors read it: "Draft waiting (from knowledge/)". */
export function statusLabel(status: string, draftFrom: string | null = null): string {
  const label = STATUS_LABELS[status] ?? status;
  return status === 'draft' && draftFrom === 'baseline' ? `${label} (from knowledge/)` : label;
}
