import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChildProtectionPolicy } from '../../../../shared';
import { StoreProvider } from '../../../../renderer/app/store-context';
import { AdminView } from '../../../../renderer/features/admin/AdminView';
import { ChildProtectionPolicyForm } from '../../../../renderer/features/admin/ChildProtectionPolicyScreen';
import { fetchChildProtectionPolicy, saveChildProtectionPolicy } from '../../../../renderer/features/admin/child-protection-policy-api';
import type { PolicyForm } from '../../../../renderer/features/admin/use-policy-form';
import { signedInWork } from '../work-harness';

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const impl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

/** A form as usePolicyForm leaves it, with the parts a test sets. */
function formOf(overrides: Partial<PolicyForm<ChildProtectionPolicy>>): PolicyForm<ChildProtectionPolicy> {
  return {
    load: { status: 'ready', saved: { askBirthYear: false } },
    draft: { askBirthYear: false },
    setDraft: () => undefined,
    changed: false,
    saving: false,
    result: null,
    save: async () => undefined,
    retry: () => undefined,
    ...overrides,
  };
}
const render = (form: PolicyForm<ChildProtectionPolicy>) => renderToStaticMarkup(<ChildProtectionPolicyForm form={form} />);
const saveButton = (html: string) => /<button[^>]*data-testid="child-protection-save"[^>]*>/.exec(html)?.[0] ?? '';

describe('child-protection policy (admin screen)', () => {
  it('reads the policy with the session and saves the whole policy with PUT; a refusal says what the server said', async () => {
    const get = fakeFetch(200, { askBirthYear: false });
    expect(await fetchChildProtectionPolicy('http://s', 'tok', get.impl)).toEqual({ askBirthYear: false });
    expect(get.calls[0]!.url).toBe('http://s/api/admin/child-protection-policy');
    expect((get.calls[0]!.init!.headers as Record<string, string>).authorization).toBe('Bearer tok');

    const put = fakeFetch(200, { askBirthYear: true });
    expect(await saveChildProtectionPolicy('http://s', 'tok', { askBirthYear: true }, put.impl)).toEqual({ askBirthYear: true });
    expect(put.calls[0]!.init!.method).toBe('PUT');
    expect(JSON.parse(String(put.calls[0]!.init!.body))).toEqual({ askBirthYear: true });

    const refused = fakeFetch(403, { error: { code: 'forbidden', message: 'Only admins may do this.' } });
    await expect(saveChildProtectionPolicy('http://s', 'tok', { askBirthYear: true }, refused.impl)).rejects.toThrow('Only admins');
    await expect(fetchChildProtectionPolicy('http://s', 'tok', fakeFetch(200, { askBirthYear: 'yes' }).impl)).rejects.toThrow(/update the app/);
  });

  it('off as saved: the box unticked, a line saying the widget asks nobody, Save disabled until something changes', () => {
    const html = render(formOf({}));
    expect(html).toMatch(/<input type="checkbox" data-testid="child-protection-ask-birth-year"(?![^>]*checked)[^>]*>/);
    expect(html).toContain('data-testid="child-protection-off"');
    expect(saveButton(html)).toContain('disabled');
  });

  it('ticked and not yet saved: Save enabled; after saving, what happened; a failed load says why with Try again', () => {
    const changed = render(formOf({ draft: { askBirthYear: true }, changed: true }));
    expect(changed).toMatch(/<input type="checkbox" data-testid="child-protection-ask-birth-year"[^>]*checked=""/);
    expect(changed).not.toContain('data-testid="child-protection-off"');
    expect(saveButton(changed)).not.toContain('disabled');
    expect(changed).toMatch(/year of birth/);

    const saved = render(formOf({ load: { status: 'ready', saved: { askBirthYear: true } }, draft: { askBirthYear: true }, result: { tone: 'ok', text: 'Saved. The widget follows it from the next start form it shows.' } }));
    expect(saved).toMatch(/data-testid="child-protection-status"[^>]*>Saved\./);
    expect(render(formOf({ saving: true, changed: true, draft: { askBirthYear: true } }))).toMatch(/Saving…/);

    const failed = render(formOf({ load: { status: 'error', message: 'The server answered 502.' }, draft: null }));
    expect(failed).toContain('data-testid="child-protection-policy-load-error"');
    expect(failed).toContain('Try again');
    expect(render(formOf({ load: { status: 'loading' }, draft: null }))).toMatch(/Loading the child-protection policy/);
  });

  it('sits in the Admin view next to the other policies', async () => {
    const { store } = await signedInWork({ user: { id: 'u-admin', username: 'admin', displayName: 'Ada Admin', role: 'admin' } });
    const live = { ...store, getInitialState: store.getState };
    // Rendered on the server side, no effect runs: each screen shows its loading line.
    const html = renderToStaticMarkup(
      <StoreProvider store={live}>
        <AdminView />
      </StoreProvider>,
    );
    expect(html).toMatch(/Live call monitoring[\s\S]*Redaction[\s\S]*Children under 13/);
    expect(html).toContain('Loading the child-protection policy…');
  });
});
