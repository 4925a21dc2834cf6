// The drop targets (e.g. partners) beside the sortable list: cards in the same DndContext as the rows.
// Dropping a row on a card leaves the order alone and calls onDropTarget(itemId, targetId); which card a
// row is over is decided in targetNavigation.js (pointer hit testing, keyboard arrows).
import React, { useEffect, useId, useMemo, useState } from "react";
import { useDndContext, useDroppable } from "@dnd-kit/core";
import { EMPTY, TARGET_PREFIX, fieldText, targetIdOf } from "./shared.js";

// The `dropTargets` prop as cards: { id, droppableId, label, sublabel }, without items lacking an id
// and without repeated ids.
export function useDropTargets(dropTargets, targetIdKey, targetLabelKey, targetSublabelKey) {
  return useMemo(() => {
    if (!Array.isArray(dropTargets)) return EMPTY;
    const out = [];
    const seen = new Set();
    for (const t of dropTargets) {
      const tid = fieldText(t, targetIdKey);
      if (!tid || seen.has(tid)) continue;
      seen.add(tid);
      out.push({
        id: tid,
        droppableId: TARGET_PREFIX + tid,
        label: fieldText(t, targetLabelKey) || tid,
        sublabel: fieldText(t, targetSublabelKey),
      });
    }
    return out;
  }, [dropTargets, targetIdKey, targetLabelKey, targetSublabelKey]);
}

function DropTarget({ target }) {
  const { setNodeRef, isOver, active } = useDroppable({
    id: target.droppableId,
    data: { rxDropTarget: true, targetId: target.id },
  });
  return (
    <li
      ref={setNodeRef}
      className="rx-drop-target"
      data-rx-drop-target={target.droppableId}
      data-drop-target-id={target.id}
      data-over={isOver ? "true" : "false"}
      data-active={active ? "true" : "false"}
    >
      <span className="rx-drop-target-label">{target.label}</span>
      {target.sublabel ? <span className="rx-drop-target-sublabel">{target.sublabel}</span> : null}
    </li>
  );
}

// The titled card list: a region named by its visible title, capped in height with its own scroll.
export function DropTargetPanel({ targets, label }) {
  const titleId = useId();
  return (
    <div className="rx-drop-targets">
      <p className="rx-drop-title" id={titleId}>
        {label}
      </p>
      {/* Focusable so keyboard users can scroll a long card list (the cards themselves are not controls). */}
      <div className="rx-drop-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
        <ul className="rx-drop-list">
          {targets.map((t) => (
            <DropTarget key={t.droppableId} target={t} />
          ))}
        </ul>
      </div>
    </div>
  );
}

// While a pointer drag is over a target, dnd-kit puts the row back in its place (the order will not
// change), so a small chip with the item's label follows the pointer instead. Fixed, so it never widens
// the page; pointer-events: none, so it never hides a target from hit testing. Screen readers get the
// live-region announcements instead (aria-hidden).
export function DragChip({ labelOf }) {
  const { active, over, activatorEvent } = useDndContext();
  const [point, setPoint] = useState(null);
  useEffect(() => {
    if (!active || typeof window === "undefined") {
      setPoint(null);
      return undefined;
    }
    const onMove = (e) => setPoint({ x: e.clientX, y: e.clientY });
    window.addEventListener("pointermove", onMove, { passive: true });
    return () => window.removeEventListener("pointermove", onMove);
  }, [active]);
  const byPointer = activatorEvent != null && typeof activatorEvent.clientX === "number";
  if (!active || !byPointer || !point || targetIdOf(over) == null) return null;
  const vw = window.innerWidth || document.documentElement.clientWidth;
  const place = point.x > vw * 0.6 ? { right: vw - point.x + 12 } : { left: point.x + 12 };
  return (
    <div className="rx-drag-chip" aria-hidden="true" style={{ ...place, top: point.y + 12 }}>
      {labelOf(active.id)}
    </div>
  );
}
