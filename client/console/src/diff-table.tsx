import type { Change } from './editor-protocol.js';
import { diffRows, type Questions } from './regression-diff.js';

/** The regression check's changed outcomes as a table: question, where it comes from, before → after. */
interface Props {
  changes: Change[];
  caption: string;
  /** The language of the entry being published. */
  locale: string;
  questions: Questions;
}

export function DiffTable({ changes, caption, locale, questions }: Props) {
  const rows = diffRows(changes, locale, questions);
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="data diff">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Asked as</th>
            <th scope="col">Before</th>
            <th scope="col">
              <span aria-hidden="true">→ </span>After
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} class={row.lost ? 'lost' : undefined}>
              <th scope="row">{row.question}</th>
              <td>{row.asked}</td>
              <td>{row.before}</td>
              <td>
                {row.after}
                {row.lost && (
                  <>
                    {' '}
                    <strong class="warn-text">(no longer this entry's)</strong>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
