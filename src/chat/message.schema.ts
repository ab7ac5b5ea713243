import { z } from 'zod';
import { LOCALES } from '../knowledge/entry.schema.js';

export const MAX_MESSAGE_CHARS = 1000;

/** The payload of a visitor's `message` event. Unknown fields are ignored. */
export const chatMessageSchema = z.object(
  {
    text: z
      .string({ error: 'text must be a string' })
      .trim()
      .min(1, 'text must not be empty')
      .max(MAX_MESSAGE_CHARS, `text must be at most ${MAX_MESSAGE_CHARS} characters`),
    locale: z.enum(LOCALES, { error: `locale must be one of ${LOCALES.join(', ')}` }).optional(),
    conversationId: z.string().min(1).max(100).optional(),
  },
  { error: 'the message must be an object such as { "text": "your question" }' },
);

export type ChatMessage = z.infer<typeof chatMessageSchema>;

export type ErrorCode = 'invalid_message' | 'rate_limited' | 'internal_error';
export interface ErrorReply {
  error: { code: ErrorCode; message: string };
}

export function errorReply(code: ErrorCode, message: string): ErrorReply {
  return { error: { code, message } };
}

/** Text worth screening even when the payload is invalid (too long, or sent as a bare string). */
export function screenableText(payload: unknown): string | null {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object' && typeof (payload as { text?: unknown }).text === 'string') {
    return (payload as { text: string }).text;
  }
  return null;
}
