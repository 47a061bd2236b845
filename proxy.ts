import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { auth } from "@/auth";

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
export async function proxy(request: NextRequest, event: NextFetchEvent) {
  // Its typings describe the route-handler form; as proxy it is called with the fetch event.
  const handler = (await guard) as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;
  return handler(request, event);
}

export const config = {
  matcher: ["/dashboard/:path*", "/settings/:path*", "/usage/:path*", "/keys/:path*", "/billing/:path*", "/org/:path*", "/admin/:path*"],
};
