/** The neutral age question: a year of birth, asked of everyone when the org turned it on. */
export function BirthYearField(props: { value: string; onChange(value: string): void }) {
  return (
    <label>
      <span>Year of birth</span>
      <input
        data-testid="widget-birth-year"
        inputMode="numeric"
        autoComplete="bday-year"
        placeholder="e.g. 1990"
        maxLength={4}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value.replace(/\D/g, ''))}
      />
    </label>
  );
}
