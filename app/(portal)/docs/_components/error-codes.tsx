const cell = "border-b px-3 py-2 align-top";

export type ErrorCodeEntry = { const: string; description: string; "x-status": number };

/** The document's ErrorCode catalogue: every `error` code with its status. */
export function ErrorCodes({ codes }: { codes: ErrorCodeEntry[] }) {
  return (
    <div role="region" aria-label="Error codes" tabIndex={0} className="overflow-x-auto rounded-md border outline-none focus-visible:ring-2 focus-visible:ring-ring">
      <table className="w-full min-w-[480px] text-left text-sm">
        <caption className="sr-only">Error codes and their HTTP statuses</caption>
        <thead className="bg-muted/50 text-xs text-muted-foreground">
          <tr>
            <th scope="col" className={cell}>Status</th>
            <th scope="col" className={cell}>error</th>
            <th scope="col" className={cell}>Meaning</th>
          </tr>
        </thead>
        <tbody>
          {codes.map((entry) => (
            <tr key={entry.const} data-error-code={entry.const}>
              <td className={`${cell} font-mono`}>{entry["x-status"]}</td>
              <td className={cell}>
                <code>{entry.const}</code>
              </td>
              <td className={`${cell} text-xs`}>{entry.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
