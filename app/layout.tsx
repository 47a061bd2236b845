import type { Metadata } from "next";
import { headers } from "next/headers";
import type * as React from "react";

import { ThemeProvider } from "@/components/theme/theme-provider";
import { TitleRecovery } from "@/components/title-recovery";
import { Toaster } from "@/components/ui/toaster";

import "./globals.css";

export const metadata: Metadata = {
  title: {
    template: "%s · Credit Portal",
    default: "Credit Portal",
  },
  description:
    "Buy credits, manage API keys and track usage of the analytics data API.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // proxy.ts makes a nonce per request; reading it here also renders every page per request, as a nonce needs.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // next-themes sets the theme class on <html> before hydration, so its attributes differ from the server's.
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-dvh">
        <ThemeProvider nonce={nonce}>
          {children}
          <Toaster />
          <TitleRecovery />
        </ThemeProvider>
      </body>
    </html>
  );
}
