import { useEffect, useState } from 'react';
import type { SensitiveKeywordRules } from '../../../shared';
import { PolicyLoadError } from './PolicyLoadError';
import { fetchSensitiveKeywords, saveSensitiveKeywords } from './sensitive-keywords-api';
import { rulesToText, textToRules } from './sensitive-keywords-text';
import { usePolicyForm } from './use-policy-form';
import './admin.css';

/**
 * The org's keyword rules, for admins: words in a chat that suggest to its agent marking it
 * sensitive with a category. A suggestion only; the agent decides. Edited as text, one rule a line.
 */
export function SensitiveKeywordsScreen() {
  const form = usePolicyForm<SensitiveKeywordRules>({ fetch: fetchSensitiveKeywords, save: saveSensitiveKeywords, savedText: 'Saved. It applies to the next message.' });
  const { load, draft, setDraft, changed, saving, result } = form;
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const saved = load.status === 'ready' ? load.saved : null;

  // The text follows what the server holds (after loading and after each save).
  useEffect(() => {
    if (saved) setText(rulesToText(saved));
  }, [saved]);

  if (load.status === 'loading' || !draft || text === null) {
    if (load.status === 'error') return <PolicyLoadError what="sensitive keyword rules" testId="sensitive-keywords-load-error" message={load.message} retry={form.retry} />;
    return <p className="muted">Loading the keyword rules…</p>;
  }

  const edit = (next: string) => {
    setText(next);
    const read = textToRules(next);
    if ('problem' in read) setProblem(read.problem);
    else {
      setProblem(null);
      setDraft(read.rules);
    }
  };

  return (
    <form
      className="policy-form"
      data-testid="sensitive-keywords"
      onSubmit={(e) => {
        e.preventDefault();
        void form.save();
      }}
    >
      <label className="policy-fieldset">
        <span className="small">
          One rule a line: a category, a colon, then words or phrases separated by commas (matched as whole words, any case). Categories: health, ethnic origin,
          religion, politics, union membership, sex life, criminal.
        </span>
        <textarea data-testid="sensitive-keywords-text" rows={8} value={text} spellCheck={false} onChange={(e) => edit(e.target.value)} />
      </label>
      {problem && (
        <p className="inline-error small" role="alert" data-testid="sensitive-keywords-error">
          {problem}
        </p>
      )}
      <div className="policy-actions">
        <button type="submit" className="button-primary" data-testid="sensitive-keywords-save" disabled={saving || !changed || problem !== null}>
          {saving ? 'Saving…' : 'Save keyword rules'}
        </button>
        {result && (
          <span className={result.tone === 'ok' ? 'muted small' : 'inline-error small'} role="status" data-testid="sensitive-keywords-status">
            {result.text}
          </span>
        )}
      </div>
      <p className="muted small">A match shows the chat&apos;s agent a suggestion to mark it sensitive; nothing is marked by itself. Changes are audited (counts, not the words).</p>
    </form>
  );
}
