// Accessible drag-and-drop sortable list (dnd-kit), wrapped for Reflex by
// prm_app/web/components/sortable.py. Rows are rendered here from plain item fields
// (label / sublabel / badge / href), so the Python side passes data, not components.
//
// - Mouse / pen / touch: PointerSensor on the handle only (touch-action: none), with a
//   small activation distance so a plain click on the handle or a link in the row is a click.
// - Keyboard: focus a handle, Space/Enter picks up, ArrowUp/ArrowDown moves, Space/Enter drops,
//   Escape cancels. Screen readers hear "Picked up X. Position i of n." etc.
// - Optimistic: the new order is kept locally at once and sent with onReorder(ids); when the
//   `items` prop changes (the server's answer) the list resyncs to it (deferred while dragging).
// - Optional drop targets (`dropTargets`, e.g. partners): cards beside the list (below it in a narrow
//   container), each a dnd-kit droppable in the same DndContext. Dropping an item on one calls
//   onDropTarget(itemId, targetId) and leaves the order alone. Pointer: the card under the pointer is
//   the target (hit-tested, so cards scrolled out of the capped-height card list never match).
//   Keyboard: while an item is picked up, ArrowRight moves it onto the first target, ArrowUp/ArrowDown
//   move among targets, ArrowLeft returns to the list, Space/Enter drops, Escape cancels.
//
// The parts live in assets/sortable/: SortableRow.jsx (a row), DropTargets.jsx (the cards and the chip
// that follows the pointer over them), targetNavigation.js (which row or card the item is over, by
// pointer and keyboard), announcements.js (screen reader texts), useOptimisticOrder.js (local order vs
// the server's) and shared.js. The styles (.rx-sortable-*, .rx-drop-*, .rx-drag-chip) are in assets/app.css.
import React, { useCallback, useMemo, useRef } from "react";
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from "@dnd-kit/core";
import { SortableContext, arrayMove, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useAnnouncements } from "./sortable/announcements.js";
import { DragChip, DropTargetPanel, useDropTargets } from "./sortable/DropTargets.jsx";
import { EMPTY, targetIdOf } from "./sortable/shared.js";
import { SortableRow } from "./sortable/SortableRow.jsx";
import { useTargetNavigation } from "./sortable/targetNavigation.js";
import { useOptimisticOrder } from "./sortable/useOptimisticOrder.js";

// Drag only up and down (no extra dependency on @dnd-kit/modifiers). Not used when there are drop
// targets: the item must be able to travel to them.
const restrictToVerticalAxis = ({ transform }) => ({ ...transform, x: 0 });
const VERTICAL_ONLY = [restrictToVerticalAxis];
const NO_MODIFIERS = [];

export function SortableList({
  items,
  onReorder,
  idKey = "id",
  labelKey = "label",
  sublabelKey,
  badgeKey,
  hrefKey,
  listLabel = "Sortable list",
  handlePrefix = "Move",
  emptyText = "Nothing to sort.",
  showRank = false,
  disabled = false,
  activationDistance = 5,
  revision,
  dropTargets,
  onDropTarget,
  dropTargetsLabel = "Drop on a target",
  targetIdKey = "id",
  targetLabelKey = "label",
  targetSublabelKey = "sublabel",
  id,
  className,
  style,
}) {
  const rootRef = useRef(null);
  const list = Array.isArray(items) ? items : EMPTY;
  const getId = useCallback((item) => String(item == null ? "" : item[idKey]), [idKey]);
  const { local, setLocal, localRef, holdUpdates, releaseUpdates, expectEcho } = useOptimisticOrder(
    list,
    revision,
    getId
  );
  const startOrderRef = useRef(local); // order at drag start (positions in announcements)
  const ids = useMemo(() => local.map(getId), [local, getId]);

  // Drop targets: shown only when there is something that can be dropped on them.
  const targets = useDropTargets(dropTargets, targetIdKey, targetLabelKey, targetSublabelKey);
  const hasTargets = targets.length > 0 && local.length > 0 && !disabled;
  const { collisionDetection, coordinateGetter, resetKeyboard } = useTargetNavigation({
    targets: hasTargets ? targets : EMPTY,
    rootRef,
    startOrderRef,
    getId,
  });

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: Number(activationDistance) || 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: hasTargets ? coordinateGetter : sortableKeyboardCoordinates })
  );

  const { accessibility, labelOf } = useAnnouncements({
    startOrderRef,
    getId,
    labelKey,
    targets,
    hasTargets,
    dropTargetsLabel,
  });

  const finishDrag = useCallback(() => {
    resetKeyboard();
    return releaseUpdates();
  }, [resetKeyboard, releaseUpdates]);

  const handleDragStart = useCallback(() => {
    holdUpdates();
    resetKeyboard();
    startOrderRef.current = localRef.current;
  }, [holdUpdates, resetKeyboard, localRef]);

  const handleDragEnd = useCallback(
    ({ active, over }) => {
      const stashed = finishDrag();
      const targetId = targetIdOf(over);
      if (targetId != null) {
        // Dropped on a target: no reorder; the handler decides what happens to the item.
        if (stashed) setLocal(stashed);
        if (typeof onDropTarget === "function") onDropTarget(String(active.id), targetId);
        return;
      }
      const base = stashed || localRef.current;
      const from = base.findIndex((it) => getId(it) === String(active.id));
      const to = over ? base.findIndex((it) => getId(it) === String(over.id)) : -1;
      if (from < 0 || to < 0 || from === to) {
        if (stashed) setLocal(stashed);
        return;
      }
      const next = arrayMove(base, from, to);
      setLocal(next);
      if (typeof onReorder === "function") {
        const nextIds = next.map(getId);
        expectEcho(nextIds);
        onReorder(nextIds);
      }
    },
    [finishDrag, getId, onReorder, onDropTarget, setLocal, localRef, expectEcho]
  );

  const handleDragCancel = useCallback(() => {
    const stashed = finishDrag();
    if (stashed) setLocal(stashed);
  }, [finishDrag, setLocal]);

  const listBody = (
    <SortableContext items={ids} strategy={verticalListSortingStrategy}>
      {local.length === 0 ? (
        <p className="rx-sortable-empty">{emptyText}</p>
      ) : (
        <ol className="rx-sortable-list" aria-label={listLabel}>
          {local.map((item, index) => {
            const itemId = getId(item);
            return (
              <SortableRow
                key={itemId}
                id={itemId}
                item={item}
                index={index}
                labelKey={labelKey}
                sublabelKey={sublabelKey}
                badgeKey={badgeKey}
                hrefKey={hrefKey}
                showRank={!!showRank}
                disabled={!!disabled}
                handlePrefix={handlePrefix}
              />
            );
          })}
        </ol>
      )}
    </SortableContext>
  );

  return (
    <div
      id={id}
      ref={rootRef}
      className={hasTargets ? [className, "rx-sortable-has-targets"].filter(Boolean).join(" ") : className}
      style={{ width: "100%", minWidth: 0, ...(style || {}) }}
    >
      <DndContext
        sensors={sensors}
        collisionDetection={hasTargets ? collisionDetection : closestCenter}
        modifiers={hasTargets ? NO_MODIFIERS : VERTICAL_ONLY}
        accessibility={accessibility}
        onDragStart={handleDragStart}
        onDragEnd={handleDragEnd}
        onDragCancel={handleDragCancel}
      >
        {hasTargets ? (
          <div className="rx-sortable-layout">
            <div className="rx-sortable-main">{listBody}</div>
            <DropTargetPanel targets={targets} label={dropTargetsLabel} />
            <DragChip labelOf={labelOf} />
          </div>
        ) : (
          listBody
        )}
      </DndContext>
    </div>
  );
}

export default SortableList;
