import { Avatar as AvatarPrimitive } from "radix-ui";

/** Up to two initials from the name, or from the email when there is no name. */
export function initialsOf(name: string | null, email: string) {
  const source = name?.trim() || email;
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return parts.slice(0, 2).map((part) => part[0]?.toUpperCase()).join("") || "?";
}

/** The avatar the sign-in provider gave (users.image), or initials when there is none or it fails to load. */
export function ProfileAvatar({ name, email, image }: { name: string | null; email: string; image: string | null }) {
  return (
    <AvatarPrimitive.Root className="flex size-16 shrink-0 items-center justify-center overflow-hidden rounded-full bg-muted text-lg font-medium">
      {image && <AvatarPrimitive.Image src={image} alt="Your avatar" className="size-full object-cover" referrerPolicy="no-referrer" />}
      <AvatarPrimitive.Fallback data-testid="avatar-initials">
        <span aria-hidden="true">{initialsOf(name, email)}</span>
        <span className="sr-only">No avatar</span>
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  );
}
