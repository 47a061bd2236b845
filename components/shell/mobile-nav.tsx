"use client";

import { useState } from "react";
import { Dialog as DialogPrimitive } from "radix-ui";
import { MenuIcon, XIcon } from "lucide-react";

import { Logo } from "@/components/shell/logo";
import type { Role } from "@/db/schema";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { Button } from "@/components/ui/button";
import { Dialog, DialogOverlay, DialogPortal, DialogTrigger } from "@/components/ui/dialog";

/** Below `md` the sidebar is hidden; this opens the same nav as a left-hand sheet. */
export function MobileNav({ showAdmin, role }: { showAdmin: boolean; role: Role }) {
  const [open, setOpen] = useState(false);

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <MenuIcon aria-hidden="true" />
        </Button>
      </DialogTrigger>
      <DialogPortal>
        <DialogOverlay className="md:hidden" />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col border-r bg-card shadow-lg outline-none md:hidden"
        >
          <div className="flex h-14 items-center justify-between border-b px-4">
            <DialogPrimitive.Title className="sr-only">Navigation</DialogPrimitive.Title>
            <Logo href="/dashboard" />
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon" aria-label="Close navigation">
                <XIcon aria-hidden="true" />
              </Button>
            </DialogPrimitive.Close>
          </div>
          <SidebarNav
            showAdmin={showAdmin}
            role={role}
            onNavigate={() => setOpen(false)}
            className="flex-1 overflow-y-auto p-3"
          />
        </DialogPrimitive.Content>
      </DialogPortal>
    </Dialog>
  );
}
