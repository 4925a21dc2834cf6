// Keeps a form's draft: wrapped for Reflex by prm_app/web/components/form_draft.py.
//
// Placed inside a <form>, it follows what is typed there (input and change events bubble to the form) and, once
// typing pauses for `delayMs`, sends every field's value by name to onSave (the server keeps it per person).
// Leaving the page with a save pending sends it at once; submitting the form cancels it (the submit handler
// clears the draft). Ticked checkboxes are sent as "on", unticked ones not at all, as a form submission would.
import React, { useEffect, useRef } from "react";

function fieldsOf(form) {
  const fields = {};
  new FormData(form).forEach((value, name) => {
    if (typeof value === "string") fields[name] = value;
  });
  return fields;
}

export function FormDraftKeeper({ onSave, delayMs = 1000 }) {
  const anchor = useRef(null);
  const save = useRef(onSave);
  save.current = onSave;

  useEffect(() => {
    const form = anchor.current && anchor.current.closest("form");
    if (!form) return undefined;
    let timer = null;
    const flush = () => {
      timer = null;
      if (typeof save.current === "function") save.current(fieldsOf(form));
    };
    const typed = () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(flush, Number(delayMs) || 1000);
    };
    const submitted = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    };
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    form.addEventListener("submit", submitted, true);
    return () => {
      form.removeEventListener("input", typed);
      form.removeEventListener("change", typed);
      form.removeEventListener("submit", submitted, true);
      if (timer !== null) {
        clearTimeout(timer);
        flush(); // leaving the page mid-pause: what was typed last is kept too
      }
    };
  }, [delayMs]);

  return <span ref={anchor} hidden />;
}
