import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

type FormFieldProps = React.ComponentProps<typeof Input> & {
  name: string;
  label: string;
  errors?: string[];
};

/** A labelled input with its error text wired up for screen readers. */
export function FormField({ name, label, errors, ...props }: FormFieldProps) {
  const errorId = `${name}-error`;
  return (
    <div className="space-y-2">
      <Label htmlFor={name}>{label}</Label>
      <Input id={name} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={errors?.length ? errorId : undefined} {...props} />
      <FieldError id={errorId}>{errors?.[0]}</FieldError>
    </div>
  );
}

export function FormMessage({ children, tone = "error" }: { children?: React.ReactNode; tone?: "error" | "info" }) {
  if (!children) return null;
  return (
    <p role={tone === "error" ? "alert" : "status"} className={tone === "error" ? "rounded-md bg-destructive/10 p-3 text-sm text-destructive" : "rounded-md bg-muted p-3 text-sm"}>
      {children}
    </p>
  );
}
