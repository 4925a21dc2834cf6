// A SCORM 2004 SCO of a two-SCO package: finds window.API_1484_11 in a parent frame, initializes, says which part
// runs and what the LMS handed over, and on "Finish" sets completion, commits and terminates.
var Sco = (function () {
  var api = null;
  function find(win) {
    for (var hops = 0; win && hops < 10; hops++) {
      if (win.API_1484_11) return win.API_1484_11;
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  function say(id, text) { document.getElementById(id).textContent = text; }
  return {
    start: function (part) {
      api = find(window);
      if (!api) return say("entry", "No LMS found.");
      api.Initialize("");
      var status = api.GetValue("cmi.completion_status");
      api.SetValue("cmi.location", part);
      api.Commit("");
      say("entry", "Running " + part + "; status before: " + status + ".");
    },
    finish: function () {
      api.SetValue("cmi.completion_status", "completed");
      api.SetValue("cmi.session_time", "PT1M");
      var saved = api.Commit("");
      api.Terminate("");
      say("status", saved === "true" ? "This part is complete." : "Not saved: error " + api.GetLastError());
    },
  };
})();
