export type RenderedEmail = { subject: string; html: string; text: string };

export type EmailTemplate<Props> = {
  /** Stored with each outbox row, for the mailbox page and for support. */
  name: string;
  render: (props: Props) => RenderedEmail;
};

/** A new email is one file: `export const fooEmail = defineEmailTemplate("foo", (props) => emailLayout({...}))`. */
export function defineEmailTemplate<Props>(name: string, render: (props: Props) => RenderedEmail): EmailTemplate<Props> {
  return { name, render };
}

function escapeHtml(value: string) {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

type LayoutInput = {
  subject: string;
  greeting?: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
};

/** The shared HTML and plain-text shell, so templates only state their words. All input is escaped. */
export function emailLayout({ subject, greeting, paragraphs, action, footer }: LayoutInput): RenderedEmail {
  const lines = [greeting, ...paragraphs].filter((line): line is string => Boolean(line));
  const htmlParagraphs = lines.map((line) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`).join("");
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#111827;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#6b7280">Or open this link: ${escapeHtml(action.url)}</p>`
    : "";
  const footerHtml = footer ? `<p style="margin:24px 0 0;font-size:13px;color:#6b7280">${escapeHtml(footer)}</p>` : "";
  const html =
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827;line-height:1.5">` +
    `<div style="max-width:560px;margin:0 auto;padding:24px">${htmlParagraphs}${button}${footerHtml}</div></body></html>`;
  const text = [...lines, action ? `${action.label}: ${action.url}` : undefined, footer]
    .filter((line): line is string => Boolean(line))
    .join("\n\n");
  return { subject, html, text };
}
