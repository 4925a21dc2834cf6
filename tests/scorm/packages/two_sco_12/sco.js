// A SCORM 1.2 SCO of a two-SCO package: finds window.API in a parent frame, initializes, says which part runs and
// what the LMS handed over, and on "Finish" reports completion, commits and finishes.
var Sco = (function () {
  var api = null;
  function find(win) {
    for (var hops = 0; win && hops < 10; hops++) {
      if (win.API) return win.API;
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
      api.LMSInitialize("");
      var status = api.LMSGetValue("cmi.core.lesson_status");
      if (status === "not attempted") api.LMSSetValue("cmi.core.lesson_status", "incomplete");
      api.LMSSetValue("cmi.core.lesson_location", part);
      api.LMSCommit("");
      say("entry", "Running " + part + "; status before: " + status + ".");
    },
    finish: function () {
      api.LMSSetValue("cmi.core.lesson_status", "completed");
      api.LMSSetValue("cmi.core.session_time", "00:01:00");
      var saved = api.LMSCommit("");
      api.LMSFinish("");
      say("status", saved === "true" ? "This part is complete." : "Not saved: error " + api.LMSGetLastError());
    },
  };
})();
