/**
 * The only thing the widget stores: the server-issued conversation id and its secret (the resume token),
 * in sessionStorage, for this tab's session. Nothing in localStorage, no cookies.
 */

export const STORAGE_KEY = 'kapchat.conversation';

export interface StoredAccess {
  id: string | null;
  token: string | null;
}

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked (sandboxed frame, privacy settings): the conversation lasts one page
  }
}

export function readStoredAccess(): StoredAccess {
  try {
    const raw = sessionStore()?.getItem(STORAGE_KEY) ?? null;
    const value = raw && raw.length <= 500 ? (JSON.parse(raw) as Partial<StoredAccess>) : null;
    return typeof value?.id === 'string' && typeof value.token === 'string'
      ? { id: value.id, token: value.token }
      : { id: null, token: null };
  } catch {
    return { id: null, token: null };
  }
}

export function storeAccess(id: string | null, token: string | null): void {
  try {
    const store = sessionStore();
    if (id && token) store?.setItem(STORAGE_KEY, JSON.stringify({ id, token }));
    else store?.removeItem(STORAGE_KEY);
  } catch {
    // see sessionStore()
  }
}
