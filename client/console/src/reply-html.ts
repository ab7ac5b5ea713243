import type { Reply } from '../../widget/src/shared/protocol.js';

/**
 * The console's one way to turn HTML into DOM: for replies the server composed for a preview or the
 * question tester, and nothing else.
 *
 * The console page enforces Trusted Types (`require-trusted-types-for 'script'`) and allows exactly one
 * policy, `kap-preview` (`trusted-types kap-preview`), created here once. Its `createHTML` accepts only a
 * string that arrived as a reply's `html` in the JSON of `POST /api/entries/:id/preview` or
 * `POST /api/test-question` (`vetReply` records it; see editor-api.ts) and refuses any other string, so
 * visitor text, a triage question or an entry's fields can never become HTML by mistake. Even a vetted
 * string only goes into an inert <template> (nothing in it runs or loads), from which the widget's own
 * allow-list code (`client/widget/src/app/dom.ts`) rebuilds the reply element by element, exactly as the
 * widget shows it; and the page's CSP still runs no inline script or handler. The server sanitised that
 * HTML when the answer was rendered (the same sanitiser the widget's replies go through).
 */

export const POLICY_NAME = 'kap-preview';

/** The vetted reply HTML, newest last; a few are kept (a reply is rendered soon after it arrives). */
const vetted: string[] = [];
const KEEP = 20;

export function vetReply(reply: Reply): Reply {
  if (typeof reply?.html === 'string' && !vetted.includes(reply.html)) {
    vetted.push(reply.html);
    if (vetted.length > KEEP) vetted.shift();
  }
  return reply;
}

function isVetted(html: string): boolean {
  return vetted.includes(html);
}

interface TrustedTypePolicyLike {
  createHTML(input: string): unknown;
}
interface TrustedTypesLike {
  createPolicy(name: string, rules: { createHTML(input: string): string }): TrustedTypePolicyLike;
}

function unvetted(): never {
  throw new TypeError('The console renders only reply HTML that came from the preview or the question tester.');
}

const trustedTypes = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
const policy = trustedTypes?.createPolicy(POLICY_NAME, {
  createHTML: (input) => (isVetted(input) ? input : unvetted()),
});

/** Parses vetted reply HTML into an inert fragment (for the widget's allow-list rebuild). */
export function parseReplyHtml(html: string): DocumentFragment {
  // Browsers without Trusted Types get the same provenance check.
  if (!isVetted(html)) unvetted();
  const template = document.createElement('template');
  (template as { innerHTML: unknown }).innerHTML = policy ? policy.createHTML(html) : html;
  return template.content;
}
