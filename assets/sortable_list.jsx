// Accessible drag-and-drop sortable list (dnd-kit), wrapped for Reflex by
// prm_app/ui/components/sortable.py. Rows are rendered here from plain item fields
// (label / sublabel / badge / href), so the Python side passes data, not components.
//
// - Mouse / pen / touch: PointerSensor on the handle only (touch-action: none), with a
//   small activation distance so a plain click on the handle or a link in the row is a click.
// - Keyboard: focus a handle, Space/Enter picks up, ArrowUp/ArrowDown moves, Space/Enter drops,
//   Escape cancels. Screen readers hear "Picked up X. Position i of n." etc.
// - Optimistic: the new order is kept locally at once and sent with onReorder(ids); when the
//   `items` prop changes (the server's answer) the list resyncs to it (deferred while dragging).
import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
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
const STYLE_ID = "rx-sortable-list-styles";
const CSS_TEXT = `
.rx-sortable-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; width: 100%; min-width: 0; }
.rx-sortable-row { display: flex; align-items: center; gap: 8px; min-width: 0; padding: 6px 10px 6px 4px;
  background: var(--color-panel-solid, #fff); border: 1px solid var(--gray-6); border-radius: var(--radius-3, 6px);
  color: var(--gray-12); box-sizing: border-box; }
.rx-sortable-row[data-dragging="true"] { border-color: var(--accent-8); box-shadow: 0 6px 16px rgba(0,0,0,.18);
  background: var(--accent-2, var(--color-panel-solid, #fff)); }
.rx-sortable-handle { flex: none; display: inline-flex; align-items: center; justify-content: center;
  width: 44px; height: 44px; margin: 0; padding: 0; border: 1px solid transparent; border-radius: var(--radius-2, 4px);
  background: transparent; color: var(--gray-11); cursor: grab; touch-action: none; -webkit-tap-highlight-color: transparent; }
.rx-sortable-handle:hover { background: var(--gray-3); color: var(--gray-12); }
.rx-sortable-handle:focus-visible { outline: 2px solid var(--accent-9); outline-offset: 2px; }
.rx-sortable-handle[aria-pressed="true"] { cursor: grabbing; background: var(--accent-4); color: var(--accent-12); }
.rx-sortable-handle[disabled] { cursor: default; opacity: .45; }
.rx-sortable-rank { flex: none; min-width: 1.6em; text-align: right; font-variant-numeric: tabular-nums;
  color: var(--gray-11); font-size: .875rem; }
.rx-sortable-text { flex: 1 1 auto; min-width: 0; display: flex; flex-direction: column; }
.rx-sortable-label { font-weight: 500; overflow-wrap: anywhere; color: var(--gray-12); }
a.rx-sortable-label { color: var(--accent-11); text-decoration: underline; text-underline-offset: 2px; }
a.rx-sortable-label:focus-visible { outline: 2px solid var(--accent-9); outline-offset: 2px; border-radius: 2px; }
.rx-sortable-sublabel { font-size: .875rem; color: var(--gray-11); overflow-wrap: anywhere; }
.rx-sortable-badge { flex: none; max-width: 40%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  font-size: .75rem; font-weight: 500; padding: 2px 8px; border-radius: 999px;
  background: var(--accent-3); color: var(--accent-12); border: 1px solid var(--accent-6); }
.rx-sortable-empty { color: var(--gray-11); padding: 8px 4px; }
`;

function ensureStyles() {
  if (typeof document === "undefined" || document.getElementById(STYLE_ID)) return;
  const el = document.createElement("style");
  el.id = STYLE_ID;
  el.textContent = CSS_TEXT;
  document.head.appendChild(el);
}

// Drag only up and down (no extra dependency on @dnd-kit/modifiers).
const restrictToVerticalAxis = ({ transform }) => ({ ...transform, x: 0 });

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
  } = useSortable({ id, disabled });
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
  id,
  className,
  style,
}) {
  ensureStyles();
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

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: Number(activationDistance) || 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates })
  );

  const labelOf = useCallback(
    (itemId) => {
      const item = startOrderRef.current.find((it) => getId(it) === String(itemId));
      return fieldText(item, labelKey) || String(itemId);
    },
    [getId, labelKey]
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
          "Space or Enter to drop it in its new position, or Escape to cancel.",
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
          lastOverRef.current = overId;
          if (!over) return `${labelOf(active.id)} is no longer over the list.`;
          return `Moved ${labelOf(active.id)} to position ${positionOf(over.id)} of ${n}.`;
        },
        onDragEnd({ active, over }) {
          const n = startOrderRef.current.length;
          if (!over) return `Dropped ${labelOf(active.id)}. Order unchanged.`;
          return `Dropped ${labelOf(active.id)} at position ${positionOf(over.id)} of ${n}.`;
        },
        onDragCancel({ active }) {
          const n = startOrderRef.current.length;
          return `Cancelled. ${labelOf(active.id)} returned to position ${positionOf(active.id)} of ${n}.`;
        },
      },
    }),
    [labelOf, positionOf]
  );

  const finishDrag = useCallback(() => {
    draggingRef.current = false;
    const stashed = stashRef.current;
    stashRef.current = null;
    return stashed;
  }, []);

  const handleDragStart = useCallback(() => {
    draggingRef.current = true;
    startOrderRef.current = localRef.current;
  }, []);

  const handleDragEnd = useCallback(
    ({ active, over }) => {
      const stashed = finishDrag();
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
    [finishDrag, getId, onReorder]
  );

  const handleDragCancel = useCallback(() => {
    const stashed = finishDrag();
    if (stashed) setLocal(stashed);
  }, [finishDrag]);

  return (
    <div id={id} className={className} style={{ width: "100%", minWidth: 0, ...(style || {}) }}>
      <DndContext
        sensors={sensors}
        collisionDetection={closestCenter}
        modifiers={[restrictToVerticalAxis]}
        accessibility={accessibility}
        onDragStart={handleDragStart}
        onDragEnd={handleDragEnd}
        onDragCancel={handleDragCancel}
      >
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
      </DndContext>
    </div>
  );
}

export default SortableList;
