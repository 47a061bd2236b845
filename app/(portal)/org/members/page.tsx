import type { Metadata } from "next";
import { MailIcon, UsersIcon } from "lucide-react";
import { TableCard } from "@/components/table-card";
import { Badge } from "@/components/ui/badge";
import { TableCell, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { formatDateTime } from "@/lib/format";
import { listOpenInvitations } from "@/lib/invitations";
import { listMembers } from "@/lib/orgs/members";
import { OrgHeader } from "../_components/org-header";
import { loadOrgPage } from "../_components/load-org-page";
import { InvitationActions } from "./_components/invitation-actions";
import { InviteForm } from "./_components/invite-form";
import { MemberActions } from "./_components/member-actions";

export const metadata: Metadata = { title: "Members" };

const roleLabels = { user: "Member", client_admin: "Admin", business_admin: "Platform admin" } as const;

function ScrollHint() {
  return <p className="mb-2 text-xs text-muted-foreground sm:hidden">Scroll the table sideways to see every column.</p>;
}

export default async function MembersPage() {
  const { viewer, organization } = await loadOrgPage("members.read", "/org/members");
  const [members, invitations] = await Promise.all([listMembers(organization.id), listOpenInvitations(organization.id)]);
  const mayInvite = can(viewer.role, "members.invite");
  const mayChangeRoles = can(viewer.role, "members.role.update");
  const mayRemove = can(viewer.role, "members.remove");

  return (
    <div className="space-y-6">
      <OrgHeader title="Members" organizationName={organization.name} current="/org/members" />
      {mayInvite && <InviteForm />}
      <ScrollHint />
      <TableCard
        title={`Members (${members.length})`}
        columns={[{ label: "Member" }, { label: "Role" }, { label: "Last sign-in" }, { label: "Actions", numeric: true }]}
        empty={{ icon: UsersIcon, title: "No members", description: "Invite a colleague by email above." }}
        rowCount={members.length}
      >
        {members.map((member) => (
          <TableRow key={member.id} data-testid={`member-${member.email}`}>
            <TableCell>
              <div className="font-medium">
                {member.name ?? member.email}
                {member.id === viewer.userId && <span className="ml-2 text-xs text-muted-foreground">(you)</span>}
              </div>
              <div className="text-xs text-muted-foreground">{member.email}</div>
            </TableCell>
            <TableCell>
              <Badge variant={member.role === "user" ? "secondary" : "default"}>{roleLabels[member.role]}</Badge>
            </TableCell>
            <TableCell className="whitespace-nowrap">{member.lastSignInAt ? formatDateTime(member.lastSignInAt) : "Never"}</TableCell>
            <TableCell className="text-right">
              {member.role !== "business_admin" && (
                <MemberActions
                  member={{ id: member.id, label: member.name ?? member.email, role: member.role }}
                  isSelf={member.id === viewer.userId}
                  mayChangeRole={mayChangeRoles}
                  mayRemove={mayRemove && member.id !== viewer.userId}
                />
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableCard>
      <TableCard
        title="Pending invitations"
        columns={[{ label: "Email" }, { label: "Role" }, { label: "Expires" }, { label: "Actions", numeric: true }]}
        empty={{ icon: MailIcon, title: "No pending invitations", description: "Invitations you send appear here until they are accepted." }}
        rowCount={invitations.length}
      >
        {invitations.map((invitation) => (
          <TableRow key={invitation.id} data-testid={`invitation-${invitation.email}`}>
            <TableCell>
              <div className="font-medium">{invitation.email}</div>
              {invitation.invitedBy && <div className="text-xs text-muted-foreground">Invited by {invitation.invitedBy}</div>}
            </TableCell>
            <TableCell>{roleLabels[invitation.role]}</TableCell>
            <TableCell className="whitespace-nowrap">
              {invitation.expired ? <Badge variant="warning">Expired</Badge> : formatDateTime(invitation.expiresAt)}
            </TableCell>
            <TableCell className="text-right">{mayInvite && <InvitationActions invitation={{ id: invitation.id, email: invitation.email }} />}</TableCell>
          </TableRow>
        ))}
      </TableCard>
    </div>
  );
}
