// The idle-timeout warning, wrapped for Reflex by prm_app/web/components/idle.py.
//
// The server says how long this browser's session has left (remainingMs, with a new `stamp` on every answer);
// the time is anchored to this browser's own clock when the answer arrives, so a client clock that is off does
// not matter. A one-second timer then counts down locally:
// - within warnMs of the end, a banner says "You'll be signed out in N minutes" with a "Stay signed in" button
//   (onStay: a handler that counts as activity and answers with the new time left). On entering the warning,
//   and every minute while it shows, the server is asked again (onCheck, which is not activity): work in
//   another tab may have kept the session alive, and the banner then goes away;
// - past the end (with a little grace for the server's own clock), onLapse asks the server, which sends the
//   browser to sign in and come back to this page when the session is over, or answers with the time left.
// Returning to the tab (visibilitychange) asks again too: timers of a sleeping laptop or a background tab lag.
import React, { useCallback, useEffect, useRef, useState } from "react";
import { Button, Flex, Text } from "@radix-ui/themes";

const TICK_MS = 1000;
const GRACE_MS = 1500; // the server judges the end on its own clock: ask just after it
const RECHECK_MS = 60000; // while warning, ask the server again this often
// Pinned to the bottom of the window so it shows wherever the person is on a long page; amber like the app's
// other warnings, its text the theme's strongest gray (readable in light and dark mode).
const BANNER = {
  position: "fixed",
  left: 0,
  right: 0,
  bottom: 0,
  zIndex: 50,
  padding: "0.75rem 1rem",
  background: "var(--amber-3)",
  borderTop: "1px solid var(--amber-7)",
  color: "var(--gray-12)",
};

function minutesText(ms) {
  const minutes = Math.max(1, Math.ceil(ms / 60000));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export function IdleWarning({ remainingMs, stamp, warnMs, extendable, onCheck, onStay, onLapse }) {
  const deadline = useRef(null); // this browser's Date.now() at which the session ends
  const lastAsked = useRef(0);
  const lapseSent = useRef(false);
  const props = useRef({});
  props.current = { warnMs: Number(warnMs) || 0, onCheck, onLapse };
  const [left, setLeft] = useState(null); // ms left while the banner shows, else null

  const ask = useCallback(() => {
    lastAsked.current = Date.now();
    if (typeof props.current.onCheck === "function") props.current.onCheck();
  }, []);

  const tick = useCallback(() => {
    if (deadline.current === null) return;
    const now = Date.now();
    const ms = deadline.current - now;
    if (ms <= -GRACE_MS) {
      if (!lapseSent.current && typeof props.current.onLapse === "function") {
        lapseSent.current = true;
        props.current.onLapse();
      }
      setLeft(0);
      return;
    }
    if (ms <= props.current.warnMs) {
      if (now - lastAsked.current > RECHECK_MS) ask();
      setLeft(Math.max(0, ms));
    } else {
      setLeft(null);
    }
  }, [ask]);

  // Every answer from the server: anchor the end to this browser's clock.
  useEffect(() => {
    if (!stamp) return;
    deadline.current = Date.now() + Number(remainingMs);
    lapseSent.current = false;
    tick();
  }, [stamp]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    // How long this session has, as the page opens, comes with the page's opening (IdleState.opened): no question.
    lastAsked.current = Date.now();
    const timer = setInterval(tick, TICK_MS);
    const onVisible = () => {
      if (document.visibilityState === "visible") ask();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [ask, tick]);

  const warning = left !== null;
  return (
    <div role="status" aria-live="polite">
      {warning && (
        <Flex align="center" justify="center" gap="3" wrap="wrap" style={BANNER}>
          <Text size="3" weight="medium">
            {extendable
              ? `You'll be signed out in ${minutesText(left)} because nothing has happened on this page.`
              : `Your session reaches its time limit in ${minutesText(left)}. Save your work; you'll need to sign in again.`}
          </Text>
          {extendable && (
            <Button size="2" onClick={() => typeof onStay === "function" && onStay()}>
              Stay signed in
            </Button>
          )}
        </Flex>
      )}
    </div>
  );
}
