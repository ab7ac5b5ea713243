// NestJS 12 is ESM-only: tests run as native ES modules (see README, "Tests").
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/client/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
    '<rootDir>/test/**/*.spec.ts',
  ],
  testTimeout: 60000,
  // Two test files at a time even on two cores: most of a file's time is spent waiting on sockets,
  // browsers and servers, so this nearly halves the suite's time (jest's default would be one).
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  setupFiles: ['<rootDir>/test/support/env.mjs'],
};
