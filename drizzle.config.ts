import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL into migrations/; wrangler applies it (`npm run db:migrate`).
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/store/schema.ts",
  out: "./migrations",
  casing: "snake_case",
});
