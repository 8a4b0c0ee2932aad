/**
 * The verdict at a glance, as every surface words it: per message of a document (a plain patch is
 * one message), which rules the patch fixes, introduces, widens, narrows, still has, and which
 * scenarios it could not judge, counted by rule. The CLI closes each document with it, the
 * language server puts it in a code lens on the message's first line and sends it to the client
 * for the status bar and the Patch Verdict view.
 */
import type { Analysis } from '../analysis';
import type { Finding } from '../findings';
import type { Range } from '../intake/document';
import { verdictSummary, type VerdictSummary } from '../verdict/summary';

export type { VerdictSummary } from '../verdict/summary';

/** Buckets in the order they are read: the patch's good news first, as a reviewer asks it. */
export const VERDICT_BUCKETS = [
  { key: 'fixes', label: 'fixes' },
  { key: 'introduces', label: 'introduces' },
  { key: 'widens', label: 'widens' },
  { key: 'narrows', label: 'narrows' },
  { key: 'remains', label: 'still has' },
  { key: 'unjudged', label: 'not judged' },
] as const satisfies readonly { key: keyof VerdictSummary; label: string }[];

export interface MessageVerdict {
  /** 0-based index of the message in the document; 0 for a plain patch. */
  index: number;
  subject?: string;
  /** Where a lens or a reveal puts it: the message's first line (the subject for a mail). */
  line: number;
  range: Range;
  verdict: VerdictSummary;
  /** The findings the verdict counts, for the views that list places. */
  findings: Finding[];
}

function inside(r: Range, line: number): boolean {
  return r.start.line <= line && line <= r.end.line;
}

/** One verdict per message; findings outside every message count for the first. */
export function messageVerdicts(a: Pick<Analysis, 'document' | 'findings'>): MessageVerdict[] {
  const doc = a.document;
  const lastLine = Math.max(0, doc.lines.length - 1);
  const whole: Range = { start: { line: 0, character: 0 }, end: { line: lastLine, character: 0 } };
  const messages = doc.messages.length > 0 ? doc.messages : [{ range: whole, subject: undefined, headers: undefined }];
  const groups: Finding[][] = messages.map(() => []);
  for (const f of a.findings) {
    const i = messages.findIndex((m) => inside(m.range, f.range.start.line));
    groups[Math.max(0, i)]!.push(f);
  }
  return messages.map((m, index) => {
    const subject = m.headers?.find((h) => /^subject$/i.test(h.name));
    return {
      index,
      ...(m.subject !== undefined ? { subject: m.subject } : {}),
      line: subject?.range.start.line ?? m.range.start.line,
      range: m.range,
      verdict: verdictSummary(groups[index]!),
      findings: groups[index]!,
    };
  });
}

/**
 * `fixes 3 · introduces 2 · still has 1 · not judged 0`, counted by rule. Widens and narrows are
 * rarer and show only when they hold something.
 */
export function verdictCounts(v: VerdictSummary): string {
  return VERDICT_BUCKETS.filter((b) => (b.key !== 'widens' && b.key !== 'narrows') || v[b.key].length > 0)
    .map((b) => `${b.label} ${v[b.key].length}`)
    .join(' · ');
}

/** The same with the rules named: `introduces 2 (error-clobber, invalidate-eio)`. */
export function verdictDetail(v: VerdictSummary): string {
  return VERDICT_BUCKETS.filter((b) => v[b.key].length > 0)
    .map((b) => `${b.label} ${v[b.key].length} (${v[b.key].join(', ')})`)
    .join(' · ') || 'nothing found';
}
