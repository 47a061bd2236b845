import { runForecastAlerts } from "@/lib/alerts/forecast";
import { cronRoute } from "@/lib/cron";

/** The daily forecast alert for hosted schedulers (SPEC section 8); `npm run portal -- alerts:forecast` runs the same. */
export const GET = cronRoute("forecast", () => runForecastAlerts(new Date()));
