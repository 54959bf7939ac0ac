import type { MouseEvent } from "react";

/**
 * The first stop of the Tab key on every console page: jumps past the header and
 * the navigation to the page's content. Focus moves by hand, not through the
 * URL's hash, which the router would treat as a navigation.
 */
export function SkipLink({ target }: { target: string }) {
  const skip = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    document.getElementById(target)?.focus();
  };
  return (
    <a href={`#${target}`} className="skip-link" onClick={skip}>
      Skip to main content
    </a>
  );
}
