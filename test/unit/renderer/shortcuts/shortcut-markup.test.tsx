import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ShortcutSettings } from '../../../../renderer/features/shortcuts/ShortcutSettings';
import { ShortcutsHelp } from '../../../../renderer/features/shortcuts/ShortcutsHelp';
import { SHORTCUT_ACTIONS } from '../../../../renderer/features/shortcuts/shortcut-keys';

describe('shortcut screens', () => {
  it('Settings → Keyboard lists every shortcut with its keys, a labelled Change and Reset each', () => {
    const html = renderToStaticMarkup(<ShortcutSettings />);
    expect(html.match(/data-testid="shortcut-row"/g)).toHaveLength(SHORTCUT_ACTIONS.length);
    expect(html.match(/data-testid="shortcut-edit"/g)).toHaveLength(SHORTCUT_ACTIONS.length);
    expect(html.match(/data-testid="shortcut-reset"/g)).toHaveLength(SHORTCUT_ACTIONS.length);
    expect(html).toContain('data-action="accept" data-combo="Alt+A"');
    expect(html).toContain('Change<span class="visually-hidden"> the keys for &quot;Accept the oldest offer&quot;</span>');
  });

  it('the help is a labelled modal dialog listing every shortcut', () => {
    const html = renderToStaticMarkup(<ShortcutsHelp onClose={() => undefined} />);
    expect(html).toMatch(/role="dialog" aria-modal="true" aria-labelledby="shortcuts-help-title" data-testid="shortcuts-help"/);
    expect(html.match(/data-testid="shortcuts-help-row"/g)).toHaveLength(SHORTCUT_ACTIONS.length);
    expect(html).toContain('<kbd>Alt + ↓</kbd>');
  });
});
