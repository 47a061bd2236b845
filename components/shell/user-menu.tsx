"use client";

import { useRef } from "react";
import Link from "next/link";
import { Avatar } from "radix-ui";
import { ChevronDownIcon, LogOutIcon, MoonIcon, SettingsIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";

import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

type UserMenuProps = {
  viewer: { name: string | null; email: string; image: string | null };
  signOutAction: () => Promise<void>;
};

function initials(name: string | null, email: string) {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return parts.slice(0, 2).map((part) => part[0]?.toUpperCase()).join("") || "?";
}

export function UserMenu({ viewer, signOutAction }: UserMenuProps) {
  const { resolvedTheme, setTheme } = useTheme();
  // The form lives outside the menu: the menu unmounts its content on select, which could
  // drop a submit fired from inside it. Submitting by ref also works for keyboard selection.
  const signOutForm = useRef<HTMLFormElement>(null);
  const isDark = resolvedTheme === "dark";

  return (
    <>
      <form ref={signOutForm} action={signOutAction} hidden />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" className="h-9 gap-2 px-2">
            <Avatar.Root className="flex size-7 shrink-0 items-center justify-center overflow-hidden rounded-full bg-muted text-xs font-medium">
              {viewer.image && (
                <Avatar.Image src={viewer.image} alt="" className="size-full object-cover" />
              )}
              <Avatar.Fallback aria-hidden="true">{initials(viewer.name, viewer.email)}</Avatar.Fallback>
            </Avatar.Root>
            <span className="sr-only max-w-40 truncate sm:not-sr-only">{viewer.name ?? viewer.email}</span>
            <ChevronDownIcon className="text-muted-foreground" aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-60">
          <DropdownMenuLabel className="font-normal">
            {viewer.name && <p className="truncate text-sm font-medium">{viewer.name}</p>}
            <p className="truncate text-xs text-muted-foreground">{viewer.email}</p>
          </DropdownMenuLabel>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild>
            <Link href="/settings">
              <SettingsIcon aria-hidden="true" />
              Settings
            </Link>
          </DropdownMenuItem>
          <DropdownMenuItem
            // Keep the menu open so the change is visible and can be toggled back.
            onSelect={(event) => {
              event.preventDefault();
              setTheme(isDark ? "light" : "dark");
            }}
          >
            {isDark ? <SunIcon aria-hidden="true" /> : <MoonIcon aria-hidden="true" />}
            {isDark ? "Light mode" : "Dark mode"}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={() => signOutForm.current?.requestSubmit()}>
            <LogOutIcon aria-hidden="true" />
            Sign out
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </>
  );
}
