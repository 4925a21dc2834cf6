// A SCORM 2004 SCO talking to its LMS: finds window.API_1484_11 in a parent frame, initializes once per launch,
// keeps its place (cmi.location), the pages seen (cmi.suspend_data), its progress (cmi.progress_measure) and the
// time of this session (cmi.session_time, an ISO 8601 duration) and one objective per part completed
// (cmi.objectives, which a resumed launch hands back); it asks to be resumed until it is passed.
var Course = (function () {
  var api = null;
  function find(win) {
    for (var hops = 0; win && hops < 10; hops++) {
      if (win.API_1484_11) return win.API_1484_11;
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function sessionTime() {
    var seconds = Math.floor((Date.now() - Number(sessionStorage.getItem("sessionStart") || Date.now())) / 1000);
    return "PT" + Math.floor(seconds / 3600) + "H" + (Math.floor(seconds / 60) % 60) + "M" + (seconds % 60) + "S";
  }
  function visited() {
    try { return JSON.parse(api.GetValue("cmi.suspend_data") || "{}").visited || []; } catch (e) { return []; }
  }
  return {
    start: function () {
      api = find(window);
      if (!api) return null;
      if (api.Initialize("") === "true") sessionStorage.setItem("sessionStart", String(Date.now()));
      return {
        entry: api.GetValue("cmi.entry"),
        location: api.GetValue("cmi.location"),
        completion: api.GetValue("cmi.completion_status"),
        learner: api.GetValue("cmi.learner_name"),
        parts: Number(api.GetValue("cmi.objectives._count")) || 0,
      };
    },
    at: function (page, progress) {
      if (!api) return "false";
      var seen = visited();
      if (seen.indexOf(page) < 0) seen.push(page);
      api.SetValue("cmi.location", page);
      api.SetValue("cmi.suspend_data", JSON.stringify({ visited: seen }));
      api.SetValue("cmi.progress_measure", String(progress));
      var count = Number(api.GetValue("cmi.objectives._count")) || 0, i = 0;
      while (i < count && api.GetValue("cmi.objectives." + i + ".id") !== page) i++;
      if (i === count) api.SetValue("cmi.objectives." + i + ".id", page);
      api.SetValue("cmi.objectives." + i + ".completion_status", "completed");
      api.SetValue("cmi.completion_status", progress >= 1 ? "completed" : "incomplete");
      api.SetValue("cmi.exit", "suspend");
      api.SetValue("cmi.session_time", sessionTime());
      return api.Commit("");
    },
    score: function (scaled) {
      api.SetValue("cmi.score.scaled", String(scaled));
      api.SetValue("cmi.score.raw", String(Math.round(scaled * 100)));
      api.SetValue("cmi.score.min", "0");
      api.SetValue("cmi.score.max", "100");
      var passed = scaled >= 0.8;
      api.SetValue("cmi.success_status", passed ? "passed" : "failed");
      api.SetValue("cmi.exit", passed ? "normal" : "suspend");
      api.SetValue("cmi.session_time", sessionTime());
      var saved = api.Commit("");
      if (passed) api.Terminate("");
      return { passed: passed, saved: saved === "true" };
    },
  };
})();
