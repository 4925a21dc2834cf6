// The list's own copy of the items: a drop shows the new order at once (optimistic) while onReorder
// tells the server, and the copy follows the server's `items` again when they change.
import { useCallback, useEffect, useRef, useState } from "react";

// list: the `items` prop (an array); revision: the `revision` prop; getId: an item's id as a string.
// Returns the local items (and a ref to them, current during event handlers), setLocal, and the calls a
// drag makes: holdUpdates() when it starts, releaseUpdates() when it ends (returning the server items
// that arrived meanwhile, or null), expectEcho(ids) just before sending a new order with onReorder.
export function useOptimisticOrder(list, revision, getId) {
  const [local, setLocal] = useState(list);
  const localRef = useRef(local);
  localRef.current = local;
  const draggingRef = useRef(false);
  const stashRef = useRef(null); // server items that arrived mid-drag
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

  const holdUpdates = useCallback(() => {
    draggingRef.current = true;
  }, []);

  const releaseUpdates = useCallback(() => {
    draggingRef.current = false;
    const stashed = stashRef.current;
    stashRef.current = null;
    return stashed;
  }, []);

  const expectEcho = useCallback((ids) => {
    pendingRef.current = [...pendingRef.current, JSON.stringify(ids)].slice(-20);
  }, []);

  return { local, setLocal, localRef, holdUpdates, releaseUpdates, expectEcho };
}
