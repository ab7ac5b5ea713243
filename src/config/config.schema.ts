import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the app reads, with its default. README's configuration table mirrors this. */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    /** Visitors' and staff's message text in logs (debugging only): redacted unless this is on. */
    LOG_MESSAGE_TEXT: bool.default(false),
    /** Bearer token that GET /metrics requires; without it, /metrics is off (404). */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Open socket.io connections one client address may hold (browser tabs behind one NAT share an address). */
    MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
    /** How long SIGTERM/SIGINT waits for in-flight replies and the outbox before closing anyway. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),

    /**
     * Several instances (see README, "Deployment (several instances)"): a PostgreSQL URL replaces the
     * embedded SQLite store, and a Redis URL shares what one process otherwise keeps in memory.
     */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/kap' }).optional(),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a Redis URL such as redis://host:6379' }).optional(),

    /** The lowest fused confidence at which the matcher answers (see README, "The matcher"). */
    MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.4),
    /** The least lead the best entry needs over the second-best one. */
    MATCH_MIN_MARGIN: z.coerce.number().min(0).max(1).default(0.08),
    /** The learned classifier's share of the fused score; 0 turns it off (lexical only, no training). */
    MATCH_CLASSIFIER_WEIGHT: z.coerce.number().min(0).max(1).default(0.3),
    /** The classifier's share in Spanish, where it is the stronger signal (MATCH_CLASSIFIER_WEIGHT=0 still turns it off). */
    MATCH_CLASSIFIER_WEIGHT_ES: z.coerce.number().min(0).max(1).default(0.6),
    /** Added to the threshold when the lexical score or the classifier alone would pick another entry. */
    MATCH_DISAGREEMENT_PENALTY: z.coerce.number().min(0).max(1).default(0.15),
    /**
     * Where trained classifier weights are cached, by corpus content: default DATA_DIR/matcher-cache, or
     * process memory when DATA_DIR is ":memory:". ":memory:" here keeps them in memory too.
     */
    MATCHER_CACHE_DIR: z.string().min(1).optional(),

    CONVERSATION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),

    RATE_LIMIT_MESSAGES: z.coerce.number().int().min(1).default(20),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),

    /** The clinic's name in replies and pages; without it, replies say "the clinic" ("la clínica"). */
    CLINIC_NAME: z.string().min(1).optional(),
    CLINIC_PHONE: z
      .string()
      .regex(/^\+?[0-9][0-9 ().-]{5,}$/, 'must be a phone number such as +1 555 010 0000')
      .optional(),
    CLINIC_EMAIL: z.email().optional(),
    CLINIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    CLINIC_HOURS: z.string().min(1).optional(),
    CRISIS_REGION: z.enum(['US']).default('US'),

    KNOWLEDGE_WATCH: bool.default(false),

    /**
     * Web origins (scheme://host[:port]) allowed to embed the widget, comma-separated. The bot's own
     * origin and localhost are always allowed.
     */
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().replace(/\/$/, ''))
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a list of origins such as https://clinic.example' }))),
    /** New conversations one IP address may start per hour (a crisis message is never limited). */
    NEW_CONVERSATIONS_PER_HOUR: z.coerce.number().int().min(1).default(60),
    /**
     * Behind reverse proxies: which of them to believe about the client's address (X-Forwarded-For):
     * `false` (none), a hop count (`1`: the nearest proxy), or a comma-separated list of addresses and
     * subnets (`10.0.0.0/8, 127.0.0.1`, or the names `loopback`, `linklocal`, `uniquelocal`).
     */
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v, ctx): false | number | string[] => {
        const value = v.trim().toLowerCase();
        if (['false', 'no', '0', ''].includes(value)) return false;
        if (/^\d+$/.test(value)) return Number(value);
        if (['true', 'yes'].includes(value)) {
          ctx.addIssue({
            code: 'custom',
            message: 'say which proxies to trust: a hop count such as 1, or their addresses (10.0.0.0/8, loopback)',
          });
          return z.NEVER;
        }
        const list = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const valid = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/;
        const bad = list.filter((s) => !valid.test(s));
        if (bad.length) {
          ctx.addIssue({ code: 'custom', message: `not an address or subnet: ${bad.join(', ')}` });
          return z.NEVER;
        }
        return list;
      }),

    // Escalation: paging webhooks (see README, "On-call escalation").
    PAGING_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    PAGING_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    ESCALATION_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    ESCALATION_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    ESCALATION_MINUTES: z.coerce.number().min(0.05).default(5),
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(2000),
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(100).default(300_000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /** After this long without a successful delivery, a page is marked failed and shown so in consoles. */
    PAGING_GIVE_UP_HOURS: z.coerce.number().positive().default(24),
    /** A burst of flags from one address is paged at most once per this many seconds, as one page listing every flag. */
    PAGING_FOLD_SECONDS: z.coerce.number().int().min(1).default(60),
    /** Where on-call staff open the console; put into pages so a phone can jump straight to a flag. */
    CONSOLE_URL: z.url({ protocol: /^https?$/ }).optional(),

    STAFF_TOKEN_TTL_MINUTES: z.coerce.number().int().min(5).default(720),
    RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
    STORE_ALL_TRANSCRIPTS: bool.default(false),

    /** Who publishes corpus edits: `admin`, or `second-editor` (an admin, or an editor who did not edit the draft). */
    PUBLISH_BY: z.enum(['admin', 'second-editor']).default('admin'),
    /**
     * Keep the words of unanswered, unhelpful and narrowly answered questions for content triage (only
     * messages screened `none`, redacted, at most 300 characters, purged after RETENTION_DAYS).
     */
    TRIAGE_STORE_TEXT: bool.default(false),
  })
  .superRefine((c, ctx) => {
    if (c.REDIS_URL && !c.DATABASE_URL) {
      // Instances that each kept their own SQLite file would each see only their own flags.
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when REDIS_URL is set: instances share one PostgreSQL' });
    }
    if (c.PAGING_WEBHOOK_URL && !c.PAGING_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['PAGING_WEBHOOK_SECRET'], message: 'is required when PAGING_WEBHOOK_URL is set' });
    }
    if (c.ESCALATION_WEBHOOK_URL && !(c.ESCALATION_WEBHOOK_SECRET ?? c.PAGING_WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ESCALATION_WEBHOOK_SECRET'],
        message: 'is required when ESCALATION_WEBHOOK_URL is set',
      });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;

/**
 * Validates the environment. Throws one error listing every bad variable by name, so start-up stops
 * with a message that says what to fix.
 */
export function validateConfig(env: Record<string, unknown>): AppConfig {
  // Empty strings count as "not set", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
