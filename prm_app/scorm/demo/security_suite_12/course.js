// A SCORM 1.2 SCO talking to its LMS: finds window.API in a parent frame (the SCORM 1.2 discovery algorithm),
// initializes once per launch, and keeps its place (lesson_location), the pages seen (suspend_data) and the time
// of this session (session_time). It asks to be resumed (exit=suspend) until the knowledge check is passed.
var Course = (function () {
  var api = null;
  function find(win) {
    for (var hops = 0; win && hops < 10; hops++) {
      if (win.API) return win.API;
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function sessionTime() {
    var seconds = Math.floor((Date.now() - Number(sessionStorage.getItem("sessionStart") || Date.now())) / 1000);
    return pad(Math.floor(seconds / 3600)) + ":" + pad(Math.floor(seconds / 60) % 60) + ":" + pad(seconds % 60);
  }
  function visited() {
    try { return JSON.parse(api.LMSGetValue("cmi.suspend_data") || "{}").visited || []; } catch (e) { return []; }
  }
  return {
    // Returns what the LMS handed over at launch, before this page changes anything.
    start: function () {
      api = find(window);
      if (!api) return null;
      if (api.LMSInitialize("") === "true") sessionStorage.setItem("sessionStart", String(Date.now()));
      var facts = {
        entry: api.LMSGetValue("cmi.core.entry"),
        location: api.LMSGetValue("cmi.core.lesson_location"),
        suspendData: api.LMSGetValue("cmi.suspend_data"),
        status: api.LMSGetValue("cmi.core.lesson_status"),
        student: api.LMSGetValue("cmi.core.student_name"),
      };
      if (facts.status === "not attempted") api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      return facts;
    },
    // This page is now where the learner is: saved to the LMS at once.
    at: function (page) {
      if (!api) return "false";
      var seen = visited();
      if (seen.indexOf(page) < 0) seen.push(page);
      api.LMSSetValue("cmi.core.lesson_location", page);
      api.LMSSetValue("cmi.suspend_data", JSON.stringify({ visited: seen, savedAt: new Date().toISOString() }));
      api.LMSSetValue("cmi.core.exit", "suspend");
      api.LMSSetValue("cmi.core.session_time", sessionTime());
      return api.LMSCommit("");
    },
    score: function (raw) {
      api.LMSSetValue("cmi.core.score.min", "0");
      api.LMSSetValue("cmi.core.score.max", "100");
      api.LMSSetValue("cmi.core.score.raw", String(raw));
      var passed = raw >= 80;
      api.LMSSetValue("cmi.core.lesson_status", passed ? "passed" : "failed");
      api.LMSSetValue("cmi.core.exit", passed ? "" : "suspend");
      api.LMSSetValue("cmi.core.session_time", sessionTime());
      var saved = api.LMSCommit("");
      if (passed) api.LMSFinish("");
      return { passed: passed, saved: saved === "true", error: api.LMSGetLastError() };
    },
  };
})();
