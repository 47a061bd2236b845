import Link from "next/link";

const tabs = [
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/security", label: "Sign-in methods" },
  { href: "/settings/sessions", label: "Sessions" },
];

export function SettingsHeader({ title }: { title: string }) {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <nav aria-label="Settings" className="flex gap-4 border-b text-sm">
        {tabs.map((tab) => (
          <Link key={tab.href} href={tab.href} className="-mb-px border-b-2 border-transparent pb-2 hover:border-foreground">
            {tab.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
