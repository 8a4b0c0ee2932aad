/**
 * The severity a reviewer sees (editor squiggles, CLI text) follows the finding's status, not only
 * its rule: what the patch introduces or widens keeps the rule's severity and stands out; what it
 * leaves as it was is one step quieter; what it fixes, narrows or could not judge is information,
 * so good news never buries bad news. The JSON and SARIF reports keep the rule's severity and the
 * status side by side; this is presentation only.
 */
import type { Finding, Severity } from '../findings';

const QUIETER: Record<Severity, Severity> = { error: 'warning', warning: 'information', information: 'information', hint: 'hint' };

export function shownSeverity(f: Pick<Finding, 'severity' | 'status'>): Severity {
  if (f.severity === 'hint') return 'hint';
  switch (f.status as string) {
    case 'introduced':
    case 'widened':
    case 'present':
      return f.severity;
    case 'remaining':
      return QUIETER[f.severity];
    default:
      // fixed, narrowed, unjudged: information
      return 'information';
  }
}
