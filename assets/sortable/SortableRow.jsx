// One row of the sortable list: a drag handle (the only part that starts a drag, so links and text in
// the row stay clickable and selectable), an optional rank, the label (a link when the item has one),
// an optional second line and an optional badge.
import React from "react";
import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Link } from "react-router";
import { fieldText, targetIdOf } from "./shared.js";

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

export function SortableRow({ id, item, index, labelKey, sublabelKey, badgeKey, hrefKey, showRank, disabled, handlePrefix }) {
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
