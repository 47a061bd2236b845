import { Button } from "@/components/ui/button";
import { signInWithProvider } from "../actions";

type OAuthButtonsProps = { providers: Array<{ id: string; name: string }>; callbackUrl?: string; label?: string };

export function OAuthButtons({ providers, callbackUrl, label = "Continue with" }: OAuthButtonsProps) {
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((provider) => (
        <form key={provider.id} action={signInWithProvider}>
          <input type="hidden" name="provider" value={provider.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
          <Button type="submit" variant="outline" className="w-full">
            {label} {provider.name}
          </Button>
        </form>
      ))}
    </div>
  );
}
