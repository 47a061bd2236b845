"use client";

import { useEffect, useState } from "react";
import { formatTimeLeft, formatTimeOrDateTime } from "@/lib/format";

type GraceCountdownProps = {
  /** When the rolled key stops working. */
  until: Date;
  /** The server's clock at render, so the first client render matches the HTML. */
  renderedAt: Date;
};

/** "Works until 14:05 UTC, 3 h 12 min left", kept current while the page stays open. */
export function GraceCountdown({ until, renderedAt }: GraceCountdownProps) {
  const [now, setNow] = useState(renderedAt);

  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const left = until.getTime() - now.getTime();
  return (
    <span data-testid="grace-countdown" className="block text-xs text-amber-800 dark:text-amber-300">
      {left > 0 ? `Works until ${formatTimeOrDateTime(until, now)}, ${formatTimeLeft(left)} left` : "Grace period over"}
    </span>
  );
}
