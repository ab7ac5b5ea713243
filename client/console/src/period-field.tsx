/** The "Period" choice shared by the analytics and triage screens: the last 7, 30, 90 or 365 days. */
const PERIODS = [7, 30, 90, 365];

export function PeriodField({ id, days, onChange }: { id: string; days: number; onChange: (days: number) => void }) {
  return (
    <div class="field">
      <label for={id}>Period</label>
      <select id={id} value={String(days)} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {PERIODS.map((d) => (
          <option key={d} value={String(d)}>
            Last {d} days
          </option>
        ))}
      </select>
    </div>
  );
}
