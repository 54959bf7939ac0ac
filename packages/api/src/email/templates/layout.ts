import { html, type SafeHtml } from "../html.ts";

/** The frame every HTML email shares: plain, readable without images or CSS support. */
export function layout(options: { title: string; body: SafeHtml; footer: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${options.title}</title>
  </head>
  <body style="margin:0;padding:24px;background:#f6f7f9;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328">
    <div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
      ${options.body}
      <hr style="border:none;border-top:1px solid #e5e7eb;margin:24px 0">
      <p style="font-size:12px;color:#6b7280;margin:0">${options.footer}</p>
    </div>
  </body>
</html>
`.markup;
}
