import { runForecastAlerts } from "@/lib/alerts/forecast";
import { parseFlags } from "./args";

/** `alerts:forecast`: the daily forecast alert, as GET /api/cron/forecast runs it; the emails go through the outbox. */
export async function forecastAlerts(argv: string[]) {
  parseFlags(argv, []);
  const report = await runForecastAlerts(new Date());
  console.log(`checked ${report.checked} organizations, alerted ${report.alerted}, queued ${report.emails} emails`);
}
