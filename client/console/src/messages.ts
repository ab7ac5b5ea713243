/** Texts shown in more than one place. */
export const SESSION_ENDED =
  'Your session has ended (you signed out elsewhere, it expired, or the account was disabled). Sign in again.';
export const SIGNED_OUT = 'You have signed out.';
