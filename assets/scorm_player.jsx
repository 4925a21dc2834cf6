// The SCORM player, wrapped for Reflex by prm_app/scorm/ui/player.py: it opens a launch over HTTP
// (POST /_scorm/launch), puts scorm-again's runtime on window.API (SCORM 1.2) or window.API_1484_11 (2004)
// with the CMI the server returned, and shows the launch file in an iframe of the same origin, where the
// package finds the API in its parent. Commits go to the launch's commit URL as synchronous requests, so the
// package's Commit returns the server's real answer; each carries scorm-again's commit sequence number, so the
// server keeps a commit sent twice (the page-close beacon) once. Leaving the player (another page, closing the tab) finishes
// the launch if the package did not.
import React, { useEffect, useRef, useState } from "react";
import { Scorm12API } from "scorm-again/scorm12";
import { Scorm2004API } from "scorm-again/scorm2004";

function finish(api, version) {
  if (!api || !api.isInitialized() || api.isTerminated()) return;
  try {
    if (version === "1.2") api.LMSFinish("");
    else api.Terminate("");
  } catch (e) {
    // the page is going away: nothing left to tell anyone
  }
}

export function ScormPlayer({ packageId, context, title, height }) {
  const [launch, setLaunch] = useState(null);
  const [problem, setProblem] = useState("");
  const apiRef = useRef(null);

  useEffect(() => {
    let cancelled = false;
    let version = "";
    setLaunch(null);
    setProblem("");
    const onPageHide = () => finish(apiRef.current, version);
    if (!Number(packageId) || !context) return undefined; // the page's state has not named a package yet
    fetch("/_scorm/launch", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ package_id: Number(packageId), context: String(context) }),
    })
      .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
      .then(({ ok, body }) => {
        if (cancelled) return;
        if (!ok) {
          setProblem(body.detail || "This package cannot be opened.");
          return;
        }
        version = body.version;
        let seq = 0;
        const settings = {
          lmsCommitUrl: body.commit_url,
          autocommit: true,
          autocommitSeconds: 15,
          dataCommitFormat: "json",
          xhrWithCredentials: true,
          logLevel: 5,
          // scorm-again numbers each commit of this runtime (1, 2, ...) and hands the number to requestHandler,
          // also when it sends a stored commit again: the server keeps each number once.
          requestHandler: (commit, meta) => {
            const number = meta && Number.isInteger(meta.sequence) ? meta.sequence : seq + 1;
            seq = Math.max(seq, number);
            return { seq: number, cmi: commit && commit.cmi ? commit.cmi : commit };
          },
        };
        const api = version === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
        api.loadFromJSON(body.cmi);
        apiRef.current = api;
        if (version === "1.2") window.API = api;
        else window.API_1484_11 = api;
        window.addEventListener("pagehide", onPageHide);
        setLaunch(body);
      })
      .catch(() => {
        if (!cancelled) setProblem("This package cannot be opened. Check your connection and try again.");
      });
    return () => {
      cancelled = true;
      window.removeEventListener("pagehide", onPageHide);
      finish(apiRef.current, version);
      apiRef.current = null;
      if (version === "1.2") delete window.API;
      else if (version) delete window.API_1484_11;
    };
  }, [packageId, context]);

  if (problem) {
    return (
      <p role="alert" className="scorm-player-problem">
        {problem}
      </p>
    );
  }
  if (!launch) {
    return <p role="status">Opening the package…</p>;
  }
  return (
    <iframe
      src={launch.launch_url}
      title={title || "SCORM content"}
      style={{ width: "100%", height: height || "70vh", border: "1px solid var(--gray-6)", borderRadius: "8px" }}
      allow="fullscreen"
    />
  );
}
