import type { ReactNode } from 'react';

/** A button that stays pressed (aria-pressed): the big choices of the forms, one tap each. */
export function ToggleButton({ pressed, onToggle, children, className = '' }: {
  pressed: boolean;
  onToggle: () => void;
  children: ReactNode;
  className?: string;
}) {
  return (
    <button type="button" className={`patrol-toggle ${className}`} aria-pressed={pressed} onClick={onToggle}>
      {children}
    </button>
  );
}
