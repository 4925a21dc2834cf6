// Which droppable the dragged row is over when the list has drop targets, for the pointer and for the
// keyboard. Without targets the list uses dnd-kit's closestCenter and sortableKeyboardCoordinates as is.
//
// - Pointer: the card under the pointer (hit-tested, so cards scrolled out of the capped-height card
//   list never match); in the targets area but between cards: nothing (a near miss must not reorder);
//   elsewhere the closest row.
// - Keyboard, while a row is picked up: ArrowUp/ArrowDown move within the list exactly as without
//   targets, ArrowRight moves onto the first card, ArrowUp/ArrowDown then move among the cards (each is
//   scrolled into view), ArrowLeft returns to the row the item was over.
import { useCallback, useRef } from "react";
import { closestCenter } from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { targetIdOf } from "./shared.js";

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

// targets: the cards shown now (EMPTY when none are); rootRef: the element holding the list and cards;
// startOrderRef: the items in their order when the drag started; getId: an item's id.
// Returns the DndContext collisionDetection, the KeyboardSensor coordinateGetter, and resetKeyboard to call
// when a drag starts or ends.
export function useTargetNavigation({ targets, rootRef, startOrderRef, getId }) {
  const targetsRef = useRef(targets);
  targetsRef.current = targets;
  const kbTargetRef = useRef(null); // droppable id of the target the keyboard moved the item onto
  const kbReturnRef = useRef(null); // row the item was over when the keyboard left the list

  const resetKeyboard = useCallback(() => {
    kbTargetRef.current = null;
    kbReturnRef.current = null;
  }, []);

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

  const coordinateGetter = useCallback(
    (event, args) => {
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
    },
    [getId]
  );

  return { collisionDetection, coordinateGetter, resetKeyboard };
}
