import { createRequire } from 'node:module';
import { type Page } from '@playwright/test';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, injected into the page under test. */
const AXE_PATH = require.resolve('axe-core/axe.min.js');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core (its default WCAG 2.x A/AA rules and best practices) on the page as it is now and
 * returns the serious and critical violations, one readable line per rule. The page's context needs
 * `bypassCSP: true`: the app's CSP (rightly) refuses the injected script.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  // Colours are measured as painted: an element fading in is checked once it has arrived.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => `${JSON.stringify(n.target)}${v.id === 'color-contrast' ? ` [${contrastOf(n.failureSummary)}]` : ''}`).join(', ')}`);
}

/** The measured ratio and colours from axe's summary, so a failure says what to change. */
function contrastOf(summary: string | undefined): string {
  return /insufficient color contrast of ([^)]*\))/.exec(summary ?? '')?.[1] ?? (summary ?? '').split('\n')[1]?.trim() ?? '';
}
