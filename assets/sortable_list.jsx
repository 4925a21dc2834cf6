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
// The styles (.rx-sortable-*, .rx-drop-*, .rx-drag-chip) are in assets/app.css.
import React, { useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useDndContext,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Link } from "react-router";

const EMPTY = [];
// Drag only up and down (no extra dependency on @dnd-kit/modifiers). Not used when there are drop
// targets: the item must be able to travel to them.
const restrictToVerticalAxis = ({ transform }) => ({ ...transform, x: 0 });
const VERTICAL_ONLY = [restrictToVerticalAxis];
const NO_MODIFIERS = [];

// Drop targets share the DndContext with the rows, so their droppable ids get a prefix (a lead "3" and
// a partner "3" must not collide) and carry { rxDropTarget, targetId } as droppable data.
const TARGET_PREFIX = "rx-drop-target:";
const targetIdOf = (droppable) => {
  const data = droppable && droppable.data && droppable.data.current;
  return data && data.rxDropTarget ? String(data.targetId) : null;
};

// The drop target card under a viewport point, if any, and whether the point is in the targets area at all.
// Hit testing (not rects) so a card scrolled out of the card list's visible area never matches.
function hitTarget(root, x, y) {
  if (!root || typeof document === "undefined" || !document.elementsFromPoint) return { id: null, inArea: false };
  let inArea = false;
  for (const el of document.elementsFromPoint(x, y)) {
    if (!root.contains(el)) continue;
    const card = el.closest("[data-rx-drop-target]");
    if (card) return { id: card.getAttribute("data-rx-drop-target"), inArea: true };
    if (el.closest(".rx-drop-targets")) inArea = true;
  }
  return { id: null, inArea };
}

// Keyboard: bring a card into view, first within its (capped-height) card list, then in the window.
function revealCard(node) {
  const scroller = node && node.closest(".rx-drop-scroll");
  if (!scroller) return;
  let n = node.getBoundingClientRect();
  const s = scroller.getBoundingClientRect();
  if (n.top < s.top + 3) scroller.scrollTop -= s.top + 3 - n.top;
  else if (n.bottom > s.bottom - 3) scroller.scrollTop += n.bottom - (s.bottom - 3);
  n = node.getBoundingClientRect();
  const vh = window.innerHeight || document.documentElement.clientHeight;
  if (n.top < 8) window.scrollBy({ top: n.top - 8, behavior: "instant" });
  else if (n.bottom > vh - 8) window.scrollBy({ top: Math.min(n.bottom - vh + 8, n.top - 8), behavior: "instant" });
}

function GripIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <g fill="currentColor">
        <circle cx="5.5" cy="3.5" r="1.5" />
        <circle cx="10.5" cy="3.5" r="1.5" />
        <circle cx="5.5" cy="8" r="1.5" />
        <circle cx="10.5" cy="8" r="1.5" />
        <circle cx="5.5" cy="12.5" r="1.5" />
        <circle cx="10.5" cy="12.5" r="1.5" />
      </g>
    </svg>
  );
}

const fieldText = (item, key) => {
  if (!key || item == null) return "";
  const v = item[key];
  return v == null ? "" : String(v);
};

function SortableRow({ id, item, index, labelKey, sublabelKey, badgeKey, hrefKey, showRank, disabled, handlePrefix }) {
  const {
    attributes,
    listeners,
    setNodeRef,
    setActivatorNodeRef,
    transform,
    transition,
    isDragging,
    over,
  } = useSortable({ id, disabled });
  const overTarget = isDragging && targetIdOf(over) != null;
  const label = fieldText(item, labelKey) || id;
  const sublabel = fieldText(item, sublabelKey);
  const badge = fieldText(item, badgeKey);
  const href = fieldText(item, hrefKey);
  const style = {
    transform: CSS.Translate.toString(transform),
    transition,
    position: "relative",
    zIndex: isDragging ? 2 : undefined,
  };
  return (
    <li
      ref={setNodeRef}
      style={style}
      className="rx-sortable-row"
      data-dragging={isDragging ? "true" : "false"}
      data-over-target={overTarget ? "true" : undefined}
      data-sortable-id={id}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="rx-sortable-handle"
        {...attributes}
        {...listeners}
        role={undefined}
        aria-label={`${handlePrefix} ${label}`}
        disabled={disabled}
        data-sortable-handle={id}
      >
        <GripIcon />
      </button>
      {showRank ? (
        <span className="rx-sortable-rank" aria-hidden="true">
          {index + 1}.
        </span>
      ) : null}
      <span className="rx-sortable-text">
        {href && href.startsWith("/") && !href.startsWith("//") ? (
          // In-app path: client-side navigation like rx.link.
          <Link className="rx-sortable-label" to={href}>
            {label}
          </Link>
        ) : href ? (
          <a className="rx-sortable-label" href={href}>
            {label}
          </a>
        ) : (
          <span className="rx-sortable-label">{label}</span>
        )}
        {sublabel ? <span className="rx-sortable-sublabel">{sublabel}</span> : null}
      </span>
      {badge ? <span className="rx-sortable-badge">{badge}</span> : null}
    </li>
  );
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

// While a pointer drag is over a target, dnd-kit puts the row back in its place (the order will not
// change), so a small chip with the item's label follows the pointer instead. Fixed, so it never widens
// the page; pointer-events: none, so it never hides a target from hit testing. Screen readers get the
// live-region announcements instead (aria-hidden).
function DragChip({ labelOf }) {
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
  const titleId = useId();
  const rootRef = useRef(null);
  const list = Array.isArray(items) ? items : EMPTY;
  const getId = useCallback((item) => String(item == null ? "" : item[idKey]), [idKey]);
  const [local, setLocal] = useState(list);
  const localRef = useRef(local);
  localRef.current = local;
  const draggingRef = useRef(false);
  const stashRef = useRef(null); // server items that arrived mid-drag
  const startOrderRef = useRef(local); // order at drag start (positions in announcements)
  const lastOverRef = useRef(null); // last announced drop target (skip repeats and the start)
  const pendingRef = useRef([]); // id orders sent with onReorder and not yet seen back, oldest first

  // Resync whenever the server sends new `items`. Reflex keeps a var's identity while its value is
  // unchanged (replaceEqualDeep), so a new reference means new content. An echo of one of our own
  // reorders that a newer local reorder has overtaken is skipped, so quick successive drags don't
  // flicker; anything else (the echo of the latest reorder, a change made elsewhere) replaces the
  // local list. A change of `revision` forces a resync even when `items` did not change: that is how
  // a handler that refuses an order makes the list snap back. While a drag is active the update
  // waits for the drop.
  const revisionRef = useRef(revision);
  useEffect(() => {
    const forced = revisionRef.current !== revision;
    revisionRef.current = revision;
    const pending = pendingRef.current;
    const at = forced ? -1 : pending.indexOf(JSON.stringify(list.map(getId)));
    if (at >= 0) {
      pendingRef.current = pending.slice(at + 1);
      if (pendingRef.current.length > 0) return;
    } else {
      pendingRef.current = [];
    }
    if (draggingRef.current) stashRef.current = list;
    else setLocal(list);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list, revision]);

  const ids = useMemo(() => local.map(getId), [local, getId]);

  // Drop targets: shown only when there is something that can be dropped on them.
  const targets = useMemo(() => {
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
  const hasTargets = targets.length > 0 && local.length > 0 && !disabled;
  const targetsRef = useRef(targets);
  targetsRef.current = hasTargets ? targets : EMPTY;
  const kbTargetRef = useRef(null); // droppable id of the target the keyboard moved the item onto
  const kbReturnRef = useRef(null); // row the item was over when the keyboard left the list

  // Pointer: the card under the pointer; in the targets area but between cards: nothing (a near miss must
  // not reorder). Keyboard: the target the arrow keys chose. Otherwise the closest row, as without targets.
  const collisionDetection = useCallback((args) => {
    if (targetsRef.current.length === 0) return closestCenter(args);
    const rows = args.droppableContainers.filter((c) => targetIdOf(c) == null);
    const hitOf = (droppableId) => {
      const c = args.droppableContainers.find((d) => d.id === droppableId);
      return c ? [{ id: c.id, data: { droppableContainer: c, value: 0 } }] : null;
    };
    if (args.pointerCoordinates) {
      const { x, y } = args.pointerCoordinates;
      const hit = hitTarget(rootRef.current, x, y);
      if (hit.id) return hitOf(hit.id) || [];
      if (hit.inArea) return [];
    } else if (kbTargetRef.current) {
      const found = hitOf(kbTargetRef.current);
      if (found) return found;
    }
    return closestCenter({ ...args, droppableContainers: rows });
  }, []);

  // Keyboard moves: Up/Down within the list exactly as before (targets excluded), Right onto the first
  // target, Up/Down among targets, Left back to the row the item was over.
  const coordinateGetter = useCallback((event, args) => {
    const list = targetsRef.current;
    if (list.length === 0) return sortableKeyboardCoordinates(event, args);
    const { context } = args;
    const code = event.code;
    const onTarget = kbTargetRef.current != null;
    const goTo = (index) => {
      const t = list[index];
      const container = t && context.droppableContainers.get(t.droppableId);
      const node = container && container.node.current;
      if (!node) return undefined;
      revealCard(node);
      const r = node.getBoundingClientRect();
      kbTargetRef.current = t.droppableId;
      return { x: r.left, y: r.top };
    };
    if (code === "ArrowRight") {
      event.preventDefault();
      if (onTarget || !context.active) return undefined;
      const over = context.over;
      kbReturnRef.current = over && targetIdOf(over) == null ? over.id : context.active.id;
      return goTo(0);
    }
    if (code === "ArrowLeft") {
      event.preventDefault();
      if (!onTarget || !context.active) return undefined;
      kbTargetRef.current = null;
      const backId = kbReturnRef.current != null ? kbReturnRef.current : context.active.id;
      const rect = context.droppableRects.get(backId);
      if (!rect) return undefined;
      // Like sortableKeyboardCoordinates: a row after the picked-up one is matched by its bottom edge.
      const order = startOrderRef.current.map(getId);
      const after = order.indexOf(String(backId)) > order.indexOf(String(context.active.id));
      const dy = after && context.collisionRect ? context.collisionRect.height - rect.height : 0;
      return { x: rect.left, y: rect.top - dy };
    }
    if (onTarget && (code === "ArrowUp" || code === "ArrowDown")) {
      event.preventDefault();
      const i = list.findIndex((t) => t.droppableId === kbTargetRef.current);
      const j = Math.max(0, Math.min(list.length - 1, i + (code === "ArrowDown" ? 1 : -1)));
      return j === i ? undefined : goTo(j);
    }
    const all = context.droppableContainers;
    const rowsOnly = {
      getEnabled: () => all.getEnabled().filter((c) => targetIdOf(c) == null),
      get: (key) => all.get(key),
    };
    return sortableKeyboardCoordinates(event, { ...args, context: { ...context, droppableContainers: rowsOnly } });
  }, [getId]);

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: Number(activationDistance) || 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: hasTargets ? coordinateGetter : sortableKeyboardCoordinates })
  );

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

  const finishDrag = useCallback(() => {
    draggingRef.current = false;
    kbTargetRef.current = null;
    kbReturnRef.current = null;
    const stashed = stashRef.current;
    stashRef.current = null;
    return stashed;
  }, []);

  const handleDragStart = useCallback(() => {
    draggingRef.current = true;
    kbTargetRef.current = null;
    kbReturnRef.current = null;
    startOrderRef.current = localRef.current;
  }, []);

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
        pendingRef.current = [...pendingRef.current, JSON.stringify(nextIds)].slice(-20);
        onReorder(nextIds);
      }
    },
    [finishDrag, getId, onReorder, onDropTarget]
  );

  const handleDragCancel = useCallback(() => {
    const stashed = finishDrag();
    if (stashed) setLocal(stashed);
  }, [finishDrag]);

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
            <div className="rx-drop-targets">
              <p className="rx-drop-title" id={titleId}>
                {dropTargetsLabel}
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
