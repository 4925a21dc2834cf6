// What screen readers hear (dnd-kit's live region): how to use the keyboard, then "Picked up X.
// Position i of n.", each move, "Dropped X on <target>." and so on. Positions count from the order the
// items had when the drag started.
import { useCallback, useMemo, useRef } from "react";
import { TARGET_PREFIX, fieldText, targetIdOf } from "./shared.js";

// startOrderRef: the items in their order when the drag started; getId: an item's id; labelKey: the field
// with an item's text; targets: the drop target cards; hasTargets: whether they are shown;
// dropTargetsLabel: their title. Returns DndContext's `accessibility` prop and labelOf(itemId).
export function useAnnouncements({ startOrderRef, getId, labelKey, targets, hasTargets, dropTargetsLabel }) {
  const lastOverRef = useRef(null); // last announced drop target (skip repeats and the start)

  const labelOf = useCallback(
    (itemId) => {
      const item = startOrderRef.current.find((it) => getId(it) === String(itemId));
      return fieldText(item, labelKey) || String(itemId);
    },
    [getId, labelKey]
  );
  const targetLabelOf = useCallback(
    (droppable) => {
      const tid = targetIdOf(droppable);
      const t = targets.find((x) => x.id === tid);
      return t ? t.label : String(tid);
    },
    [targets]
  );
  const positionOf = useCallback(
    (itemId) => startOrderRef.current.findIndex((it) => getId(it) === String(itemId)) + 1,
    [getId]
  );

  const accessibility = useMemo(
    () => ({
      screenReaderInstructions: {
        draggable:
          "To reorder, press Space or Enter to pick up the item. Use the Up and Down arrow keys to move it, " +
          "Space or Enter to drop it in its new position, or Escape to cancel." +
          (hasTargets
            ? ` To drop it on a target (${dropTargetsLabel}), pick it up, press the Right arrow key, use the Up and ` +
              "Down arrow keys to choose the target and Space or Enter to drop it there; the Left arrow key " +
              "returns to the list."
            : ""),
      },
      announcements: {
        onDragStart({ active }) {
          lastOverRef.current = String(active.id);
          const n = startOrderRef.current.length;
          return `Picked up ${labelOf(active.id)}. Position ${positionOf(active.id)} of ${n}.`;
        },
        onDragOver({ active, over }) {
          const n = startOrderRef.current.length;
          const overId = over ? String(over.id) : null;
          if (overId === lastOverRef.current) return undefined; // nothing new to say
          const fromTarget = String(lastOverRef.current).startsWith(TARGET_PREFIX);
          lastOverRef.current = overId;
          if (!over) return `${labelOf(active.id)} is no longer over the list.`;
          if (targetIdOf(over) != null) return `${labelOf(active.id)} is over ${targetLabelOf(over)}.`;
          if (fromTarget) return `${labelOf(active.id)} is back in the list, at position ${positionOf(over.id)} of ${n}.`;
          return `Moved ${labelOf(active.id)} to position ${positionOf(over.id)} of ${n}.`;
        },
        onDragEnd({ active, over }) {
          const n = startOrderRef.current.length;
          if (!over) return `Dropped ${labelOf(active.id)}. Order unchanged.`;
          if (targetIdOf(over) != null) return `Dropped ${labelOf(active.id)} on ${targetLabelOf(over)}.`;
          return `Dropped ${labelOf(active.id)} at position ${positionOf(over.id)} of ${n}.`;
        },
        onDragCancel({ active }) {
          const n = startOrderRef.current.length;
          return `Cancelled. ${labelOf(active.id)} returned to position ${positionOf(active.id)} of ${n}.`;
        },
      },
    }),
    [labelOf, positionOf, targetLabelOf, hasTargets, dropTargetsLabel]
  );

  return { accessibility, labelOf };
}
