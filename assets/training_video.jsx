// The course player's video: wrapped for Reflex by prm_app/training/ui/video.py.
//
// A plain <video> (native controls: keyboard and screen-reader usable) that starts at `startAt` seconds (the last
// second this person watched) and posts where it is to `positionUrl` every 5 seconds while playing, when paused
// or seeked, and when the person leaves (the component unmounts, the tab hides or closes): navigator.sendBeacon
// with the session cookie, so a closing tab still saves. `onEnded` is called when it played to the end.
import React, { useEffect, useRef } from "react";

export function TrainingVideo({ src, startAt = 0, positionUrl, onEnded, label }) {
  const video = useRef(null);
  const sent = useRef(-1);

  useEffect(() => {
    const v = video.current;
    if (!v) return undefined;
    const post = () => {
      const second = Math.floor(v.currentTime || 0);
      if (second === sent.current || !positionUrl) return;
      sent.current = second;
      const body = new Blob([JSON.stringify({ seconds: second })], { type: "application/json" });
      if (!(navigator.sendBeacon && navigator.sendBeacon(positionUrl, body))) {
        fetch(positionUrl, { method: "POST", body, keepalive: true, credentials: "same-origin" });
      }
    };
    const start = () => {
      if (startAt > 0 && v.currentTime < 1) v.currentTime = startAt;
    };
    if (v.readyState >= 1) start();
    v.addEventListener("loadedmetadata", start);
    const timer = setInterval(() => { if (!v.paused) post(); }, 5000);
    const hidden = () => { if (document.visibilityState === "hidden") post(); };
    v.addEventListener("pause", post);
    v.addEventListener("seeked", post);
    window.addEventListener("pagehide", post);
    document.addEventListener("visibilitychange", hidden);
    return () => {
      post();
      clearInterval(timer);
      v.removeEventListener("loadedmetadata", start);
      v.removeEventListener("pause", post);
      v.removeEventListener("seeked", post);
      window.removeEventListener("pagehide", post);
      document.removeEventListener("visibilitychange", hidden);
    };
  }, [src, startAt, positionUrl]);

  return (
    <video
      ref={video}
      src={src}
      controls
      preload="metadata"
      aria-label={label}
      onEnded={() => onEnded && onEnded()}
      style={{ width: "100%", maxWidth: "48rem", background: "#000", borderRadius: "8px" }}
      data-start-at={startAt}
    />
  );
}
