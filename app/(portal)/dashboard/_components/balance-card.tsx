import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { isLowOnCredits } from "@/lib/alerts";
import { formatCredits } from "@/lib/format";

type BalanceCardProps = {
  organization: { balance: number; lowCreditThreshold: number };
  /** Whether credits were ever added: an empty balance is news only after that. */
  hadCredits: boolean;
};

function balanceState({ organization, hadCredits }: BalanceCardProps) {
  if (organization.balance === 0) return hadCredits ? "empty" : "new";
  return isLowOnCredits(organization) ? "low" : "healthy";
}

export function BalanceCard(props: BalanceCardProps) {
  const { balance, lowCreditThreshold } = props.organization;
  const state = balanceState(props);
  return (
    <Card>
      <CardHeader className="pb-3">
        <div className="flex items-center justify-between gap-2">
          <CardDescription>Credit balance</CardDescription>
          {state === "empty" && <Badge variant="destructive">Out of credits</Badge>}
          {state === "low" && <Badge variant="warning">Low balance</Badge>}
          {state === "new" && <Badge variant="secondary">No credits yet</Badge>}
        </div>
        <CardTitle className="text-3xl tabular-nums" data-testid="credit-balance">
          {formatCredits(balance)} {balance === 1 ? "credit" : "credits"}
        </CardTitle>
      </CardHeader>
      <CardContent className="text-sm text-muted-foreground">
        {state === "empty" && "Requests with your API keys are refused until credits are added."}
        {state === "new" && "Add credits to start calling the API."}
        {(state === "low" || state === "healthy") &&
          (lowCreditThreshold > 0 ? `Admins are emailed when it falls below ${formatCredits(lowCreditThreshold)}.` : "The low-credit warning is off.")}
      </CardContent>
    </Card>
  );
}
