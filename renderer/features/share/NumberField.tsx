import { useEffect, useState } from 'react';

/**
 * A whole-number input that applies each valid value as it is typed, but keeps showing what the
 * user typed while focused (the store may clamp or align it); on blur it shows the applied value.
 */
export function NumberField({ label, value, onValue, testId, min = 0 }: { label: string; value: number; onValue(n: number): void; testId: string; min?: number }) {
  const [text, setText] = useState(String(value));
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(String(value));
  }, [value, focused]);
  return (
    <label className="share-number">
      <span>{label}</span>
      <input
        type="number"
        inputMode="numeric"
        min={min}
        step={1}
        data-testid={testId}
        value={text}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setText(e.target.value);
          const n = Number.parseInt(e.target.value, 10);
          if (Number.isFinite(n) && n >= min) onValue(n);
        }}
      />
    </label>
  );
}
