"use client";

import type * as React from "react";
import { ThemeProvider as NextThemesProvider } from "next-themes";

/** `nonce`: the page's CSP nonce, for the inline script that sets the theme before hydration. */
export function ThemeProvider({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
    </NextThemesProvider>
  );
}
