import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Three tiers: pure unit tests in Node, Worker tests inside workerd, end-to-end tests that
// start the real Worker and real agent processes (and drive the real kubectl).
export default defineConfig(async () => ({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          environment: "node",
          testTimeout: 20_000,
          include: ["src/**/*.test.ts", "agent/**/*.test.ts", "bin/**/*.test.ts", "scripts/**/*.test.ts", "dashboard/**/*.test.ts"],
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(`${import.meta.dirname}/migrations`),
                ADMIN_TOKEN: "test-admin-token",
                SECRET_ENCRYPTION_KEYS: `test:${btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))}`,
                NODE_GRACE_SECONDS: "40",
                // `npm run fuzz`: the long run of test/worker/fuzz.test.ts.
                FUZZ_REQUESTS: process.env.FUZZ_REQUESTS ?? "",
                FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                RATE_LIMITER: "memory",
                // test/worker/rate-limit.test.ts exhausts these budgets one request at a time: a tenth of
                // wrangler.toml's keeps it short on a loaded machine. No other test comes near them (each
                // enrolment has its own bootstrap token; the admin token is not limited).
                API_RATE_LIMIT_PER_MINUTE: "60",
                ENROLL_RATE_LIMIT_PER_MINUTE: "60",
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          // Some controller tests wait out real minReadySeconds; 2 busy cores need headroom.
          testTimeout: 30_000,
          setupFiles: ["./test/worker/apply-migrations.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
}));
