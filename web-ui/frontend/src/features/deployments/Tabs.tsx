import { useId, useRef, type KeyboardEvent, type ReactNode } from "react";

export interface Tab {
  id: string;
  title: string;
}

/**
 * An ARIA tablist (WAI-ARIA Authoring Practices, automatic activation): one tab in the Tab order, arrow keys, Home and
 * End move between tabs and select them; only the selected panel is rendered (a hidden tab's streams stop), so only
 * the selected tab names a panel in aria-controls.
 */
export function Tabs({ label, tabs, selected, onSelect, children }: { label: string; tabs: Tab[]; selected: string; onSelect: (id: string) => void; children: ReactNode }) {
  const base = useId();
  const buttons = useRef<Map<string, HTMLButtonElement>>(new Map());
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = tabs.length - 1;
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const tab = tabs[target];
    if (!tab) return;
    onSelect(tab.id);
    buttons.current.get(tab.id)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} className="tabs">
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(el) => {
              if (el) buttons.current.set(tab.id, el);
              else buttons.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={tab.id === selected}
            aria-controls={tab.id === selected ? `${base}-panel-${tab.id}` : undefined}
            tabIndex={tab.id === selected ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={(e) => move(e, index)}
          >
            {tab.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel-${selected}`} aria-labelledby={`${base}-tab-${selected}`} tabIndex={0} className="tab-panel">
        {children}
      </div>
    </>
  );
}
