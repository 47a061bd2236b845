import { CopyButton } from "./copy-button";

/** A titled, scrollable code sample with a copy button; the text copied is exactly the text shown. */
export function CodeBlock({ title, code, language }: { title: string; code: string; language: string }) {
  return (
    <figure className="min-w-0 overflow-hidden rounded-md border bg-muted/40">
      <figcaption className="flex items-center justify-between gap-2 border-b px-3 py-1.5 text-xs text-muted-foreground">
        <span>
          {title} <span className="sr-only">({language})</span>
        </span>
        <CopyButton text={code} label={title} />
      </figcaption>
      <pre tabIndex={0} className="overflow-x-auto p-3 text-xs leading-relaxed outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
