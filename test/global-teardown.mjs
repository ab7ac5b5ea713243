// Stops the PostgreSQL and Redis servers that global-setup.mjs started, and removes their folder.
export default function globalTeardown() {
  globalThis.__kapServers?.stop();
}
