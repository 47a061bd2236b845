import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth } from "@/auth";
import { env } from "@/lib/env";

/**
 * Every page gets a Content-Security-Policy with a fresh nonce (Next.js's documented pattern): the policy goes
 * on the request, where Next finds the nonce and puts it on its own scripts, and on the response, for the
 * browser; `x-nonce` carries it to app/layout.tsx for next-themes' inline script. The portal and admin pages
 * also send signed-out visitors to sign-in.
 */

// Stripe Checkout and PayPal's JS SDK (its script, API, frames and images live under these two domains) are
// the only third parties the browser talks to. With 'strict-dynamic', browsers that support it trust only the
// nonce and the scripts those scripts load (PayPal's loader); 'self' and the hosts are for the ones that do not.
const stripeScripts = "https://js.stripe.com";
const paypal = "https://*.paypal.com https://*.paypalobjects.com";

function contentSecurityPolicy(nonce: string) {
  // React's development build uses eval for its debugging aids; production needs none.
  const devEval = env().NODE_ENV === "development" ? " 'unsafe-eval'" : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval} ${stripeScripts} ${paypal}`,
    // Radix and sonner set inline styles at run time, which a nonce cannot cover; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self' https://api.stripe.com ${paypal}`,
    `frame-src ${stripeScripts} https://checkout.stripe.com ${paypal}`,
    "form-action 'self' https://checkout.stripe.com",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** The sections behind sign-in (the matcher used to list only these). */
const signedInSections = ["/dashboard", "/docs", "/settings", "/usage", "/keys", "/billing", "/org", "/admin"];
const needsSignIn = (pathname: string) => signedInSections.some((section) => pathname === section || pathname.startsWith(`${section}/`));

/**
 * Sends signed-out visitors of the portal and admin pages to sign-in (and back afterwards), and keeps
 * non-admins out of /admin. A convenience, not the access control: every page, action and route checks again.
 */
const guard = auth((request) => {
  const { pathname, search } = request.nextUrl;
  const user = request.auth?.user;
  if (!user || user.disabled) {
    const signIn = new URL("/sign-in", request.nextUrl.origin);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  if (pathname.startsWith("/admin") && user.role !== "business_admin") {
    return NextResponse.redirect(new URL("/dashboard", request.nextUrl.origin));
  }
  return NextResponse.next();
});

/** auth.ts configures Auth.js lazily (per request), so `auth(handler)` resolves to the handler asynchronously. */
async function checkSignIn(request: NextRequest, event: NextFetchEvent) {
  // Its typings describe the route-handler form; as proxy it is called with the fetch event.
  const handler = (await guard) as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;
  return handler(request, event);
}

export async function proxy(request: NextRequest, event: NextFetchEvent) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const checked = needsSignIn(request.nextUrl.pathname) ? await checkSignIn(request, event) : null;
  let response: Response;
  if (checked?.headers.has("location")) {
    response = checked;
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", policy);
    response = NextResponse.next({ request: { headers: requestHeaders } });
    // Auth.js may have refreshed the session cookie on the way through.
    for (const cookie of checked?.headers.getSetCookie() ?? []) response.headers.append("set-cookie", cookie);
  }
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Every page, so every page carries the nonce; not static assets, nor /api, whose routes answer JSON.
  matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"],
};
