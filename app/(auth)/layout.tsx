import type * as React from "react";
import { Logo } from "@/components/shell/logo";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center gap-6 px-4 py-12">
      <Logo href="/" />
      <main className="w-full max-w-sm">{children}</main>
    </div>
  );
}
