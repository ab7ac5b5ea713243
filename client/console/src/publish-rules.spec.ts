import type { Revision } from './editor-protocol.js';
import { publishRefusal } from './publish-rules.js';

const rev = (n: number, author: string | null, live = false): Revision => ({
  revision: n,
  number: n,
  parent: n > 1 ? n - 1 : null,
  kind: author ? 'edit' : 'baseline',
  retired: false,
  changes: [],
  note: null,
  author: author ? { id: author, email: `${author}@x` } : null,
  createdAt: '2026-01-01T00:00:00Z',
  published: null,
  publishDetail: null,
  head: false,
  live,
  baseline: !author,
});

describe('who may publish', () => {
  // Newest first, as the history lists them: #3 by ann and #2 by bob wait on top of the live #1.
  const history = [rev(3, 'ann'), rev(2, 'bob'), rev(1, null, true)];

  it('lets admins publish, and editors only as second editors of drafts they did not write', () => {
    expect(publishRefusal({ id: 'x', role: 'admin' }, 'admin', history)).toBeNull();
    expect(publishRefusal({ id: 'cat', role: 'editor' }, 'admin', history)).toMatch(/An admin publishes/);
    expect(publishRefusal({ id: 'cat', role: 'editor' }, 'second-editor', history)).toBeNull();
    expect(publishRefusal({ id: 'ann', role: 'editor' }, 'second-editor', history)).toMatch(/second editor/);
    expect(publishRefusal({ id: 'bob', role: 'editor' }, 'second-editor', history)).toMatch(/second editor/);
    // Edits older than the live revision are not part of the draft.
    expect(publishRefusal({ id: 'bob', role: 'editor' }, 'second-editor', [rev(3, 'ann'), rev(2, 'bob', true)])).toBeNull();
    expect(publishRefusal({ id: 'n', role: 'oncall' }, 'second-editor', history)).toMatch(/An admin publishes/);
  });
});
