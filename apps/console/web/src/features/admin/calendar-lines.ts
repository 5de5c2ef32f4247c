/**
 * The State Council's notice, typed as the administrator reads it: one line per holiday or adjusted
 * working day — `2027-02-06~2027-02-13 休 春节` or `2027-02-14 班 春节调休` — into the days sla takes.
 */
import { dayjs } from '../../app/time';

export interface ParsedDay {
  day: string;
  working: boolean;
  note?: string;
}

export interface LineProblem {
  line: number;
  text: string;
  reason: 'format' | 'date' | 'order' | 'year' | 'kind';
}

const LINE = /^(\d{4}-\d{2}-\d{2})(?:\s*[~～至到-]\s*(\d{4}-\d{2}-\d{2}))?\s+(\S+)(?:\s+(.+))?$/;
const REST = new Set(['休', '假', '放假', '休息', 'off', 'holiday']);
const WORK = new Set(['班', '上班', '调休上班', 'work', 'working']);

export function parseCalendarLines(text: string, year: number): { days: ParsedDay[]; problems: LineProblem[] } {
  const days = new Map<string, ParsedDay>();
  const problems: LineProblem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const m = LINE.exec(line);
    if (!m) return problems.push({ line: i + 1, text: line, reason: 'format' });
    const [, from, to = from, kind, note] = m;
    const a = dayjs(from);
    const b = dayjs(to);
    if (!a.isValid() || !b.isValid() || a.format('YYYY-MM-DD') !== from || b.format('YYYY-MM-DD') !== to)
      return problems.push({ line: i + 1, text: line, reason: 'date' });
    if (b.isBefore(a)) return problems.push({ line: i + 1, text: line, reason: 'order' });
    if (a.year() !== year || b.year() !== year) return problems.push({ line: i + 1, text: line, reason: 'year' });
    const k = kind.toLowerCase();
    if (!REST.has(k) && !WORK.has(k)) return problems.push({ line: i + 1, text: line, reason: 'kind' });
    for (let d = a; !d.isAfter(b); d = d.add(1, 'day')) {
      const day = d.format('YYYY-MM-DD');
      days.set(day, { day, working: WORK.has(k), ...(note ? { note: note.trim() } : {}) });
    }
  });
  return { days: [...days.values()].sort((x, y) => x.day.localeCompare(y.day)), problems };
}
