import { useInterval } from "@mantine/hooks";
import { useEffect, useState } from "react";

/** Seconds left until a throttled sign-in may be retried, ticking down once a second. */
export function useCountdown() {
  const [remaining, setRemaining] = useState(0);
  const interval = useInterval(() => setRemaining((seconds) => Math.max(0, seconds - 1)), 1000);
  useEffect(() => {
    if (remaining === 0) interval.stop();
  }, [remaining, interval]);
  return {
    remaining,
    start(seconds: number) {
      setRemaining(seconds);
      interval.start();
    },
  };
}
