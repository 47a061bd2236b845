const cell = "border-b px-3 py-2 align-top";

/** SPEC section 4: what the data API service may read from Redis instead of calling the portal. */
export function RedisLayout({ prefix, organizationId }: { prefix: string; organizationId: string }) {
  const rows = [
    {
      key: `${prefix}key:<sha256 hex of the whole API key>`,
      type: "hash",
      value: "keyId, organizationId, status (active | revoked | expired | disabled), expiresAt (ISO or empty), scopes (comma-separated)",
    },
    { key: `${prefix}org:${organizationId}:credits`, type: "string", value: "Your organization's balance, as an integer string." },
  ];
  return (
    <div className="space-y-3">
      <p className="text-sm">
        Postgres is the source of truth. Every change to a key or a balance is mirrored to Redis right after it commits, and
        retried when Redis is unreachable; <code>npm run portal -- redis:resync</code> rewrites the whole mirror. Every key
        lives under the prefix <code>{prefix}</code> (<code>REDIS_PREFIX</code>).
      </p>
      <div role="region" aria-label="Redis keys" tabIndex={0} className="overflow-x-auto rounded-md border outline-none focus-visible:ring-2 focus-visible:ring-ring">
        <table className="w-full min-w-[560px] text-left text-sm">
          <caption className="sr-only">Redis keys</caption>
          <thead className="bg-muted/50 text-xs text-muted-foreground">
            <tr>
              <th scope="col" className={cell}>Key</th>
              <th scope="col" className={cell}>Type</th>
              <th scope="col" className={cell}>Value</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.type}>
                <td className={cell}>
                  <code className="break-all">{row.key}</code>
                </td>
                <td className={cell}>{row.type}</td>
                <td className={`${cell} text-xs`}>{row.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
