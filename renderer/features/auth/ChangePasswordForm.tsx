import { type FormEvent, useState } from 'react';
import { useAppStore } from '../../app/store-context';

/** Current and new password; the server checks both (at least 8 characters, wrong current ones rate limited). */
export function ChangePasswordForm({ forced = false }: { forced?: boolean }) {
  const changePassword = useAppStore((s) => s.changePassword);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (next.length < 8) {
      setResult({ ok: false, text: 'Use at least 8 characters for the new password.' });
      return;
    }
    setBusy(true);
    setResult(null);
    const problem = await changePassword(current, next);
    setBusy(false);
    if (problem) {
      setResult({ ok: false, text: problem });
      return;
    }
    setCurrent('');
    setNext('');
    setResult({ ok: true, text: 'Password changed. Your other sign-ins were ended.' });
  };

  return (
    <form className="change-password-form" data-testid="change-password-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Change password">
      <label className="field">
        <span>{forced ? 'Password your admin gave you' : 'Current password'}</span>
        <input data-testid="change-password-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </label>
      <label className="field">
        <span>New password (at least 8 characters)</span>
        <input data-testid="change-password-new" type="password" autoComplete="new-password" minLength={8} value={next} onChange={(e) => setNext(e.target.value)} required />
      </label>
      {result && (
        <p className={result.ok ? 'muted small' : 'form-error'} role={result.ok ? 'status' : 'alert'} data-testid="change-password-status">
          {result.text}
        </p>
      )}
      <button type="submit" className="button-primary" data-testid="change-password-submit" disabled={busy || current === '' || next === ''}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
