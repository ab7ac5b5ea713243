// Every test file starts from a safe environment: an in-memory store unless a test chooses a folder,
// and no paging, even when a developer's .env configures a real webhook (empty counts as unset).
process.env.DATA_DIR ??= ':memory:';
for (const name of ['PAGING_WEBHOOK_URL', 'PAGING_WEBHOOK_SECRET', 'ESCALATION_WEBHOOK_URL', 'ESCALATION_WEBHOOK_SECRET']) {
  process.env[name] ??= '';
}
// Trained matcher weights are cached by the corpus's content: every test file that boots the app reuses
// them instead of training again (see README, "The matcher").
process.env.MATCHER_CACHE_DIR ??= `${process.env.TMPDIR ?? '/tmp'}/kap-matcher-cache-tests`;
