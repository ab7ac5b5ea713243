import { z } from 'zod';
import type { Resource } from '../answers/reply.js';
import { LOCALES } from '../knowledge/entry.schema.js';

export const MAX_MESSAGE_CHARS = 1000;

const conversationId = z.string({ error: 'conversationId must be a string' }).min(1).max(100);
/** The secret issued with a conversation (in every reply); it proves the sender is that visitor. */
const resumeToken = z.string({ error: 'resumeToken must be a string' }).min(1).max(200);

/** The payload of a visitor's `message` event. Unknown fields are ignored. */
export const chatMessageSchema = z.object(
  {
    text: z
      .string({ error: 'text must be a string' })
      .trim()
      .min(1, 'text must not be empty')
      .max(MAX_MESSAGE_CHARS, `text must be at most ${MAX_MESSAGE_CHARS} characters`),
    locale: z.enum(LOCALES, { error: `locale must be one of ${LOCALES.join(', ')}` }).optional(),
    conversationId: conversationId.optional(),
    resumeToken: resumeToken.optional(),
    clientMessageId: z.string().min(1).max(64).optional(),
  },
  { error: 'the message must be an object such as { "text": "your question" }' },
);

export type ChatMessage = z.infer<typeof chatMessageSchema>;

const access = { conversationId, resumeToken };
export const resumeSchema = z.object(access, { error: 'expected { conversationId, resumeToken }' });
export const clearSchema = resumeSchema;
export const feedbackSchema = z.object(
  { ...access, entryId: z.string().min(1).max(100), helpful: z.boolean({ error: 'helpful must be true or false' }) },
  { error: 'expected { conversationId, resumeToken, entryId, helpful }' },
);
/** A phone number or email the visitor leaves for follow-up after a crisis reply. */
export const contactSchema = z.object(
  {
    ...access,
    contact: z
      .string()
      .trim()
      .min(5)
      .max(100)
      .refine(
        (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) || /^\+?[0-9][0-9 ().-]{5,}$/.test(v),
        'contact must be a phone number or an email address',
      ),
  },
  { error: 'expected { conversationId, resumeToken, contact }' },
);

export type ErrorCode = 'invalid_message' | 'invalid_request' | 'unknown_conversation' | 'rate_limited' | 'internal_error';
export interface ErrorReply {
  error: { code: ErrorCode; message: string };
  /** Crisis resources, on a refused message that showed distress or belongs to a flagged conversation. */
  resources?: Resource[];
}

export function errorReply(code: ErrorCode, message: string, resources?: Resource[] | null): ErrorReply {
  return resources?.length ? { error: { code, message }, resources } : { error: { code, message } };
}

/** Text worth screening even when the payload is invalid (too long, or sent as a bare string). */
export function screenableText(payload: unknown): string | null {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object' && typeof (payload as { text?: unknown }).text === 'string') {
    return (payload as { text: string }).text;
  }
  return null;
}
