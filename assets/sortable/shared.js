// Small pieces every part of the sortable list (assets/sortable_list.jsx) uses.

export const EMPTY = [];

// An item's field as text: "" when there is no key, no item or no value.
export const fieldText = (item, key) => {
  if (!key || item == null) return "";
  const v = item[key];
  return v == null ? "" : String(v);
};

// Drop targets share the DndContext with the rows, so their droppable ids get a prefix (a lead "3" and
// a partner "3" must not collide) and carry { rxDropTarget, targetId } as droppable data.
export const TARGET_PREFIX = "rx-drop-target:";

// The target id of a droppable (dnd-kit's `over`, a droppable container), or null for a row or nothing.
export const targetIdOf = (droppable) => {
  const data = droppable && droppable.data && droppable.data.current;
  return data && data.rxDropTarget ? String(data.targetId) : null;
};
