import type { Grant, Me, Role } from "@/lib/auth/me";

const RANK: Record<Role, number> = { viewer: 1, reporter: 2, manager: 3, admin: 4 };

/** The strongest role among the grants (what the header shows). */
export function highestRole(me: Me | null | undefined): Role | null {
  let best: Role | null = null;
  for (const grant of me?.grants ?? []) {
    if (!best || RANK[grant.role] > RANK[best]) best = grant.role;
  }
  return best;
}

export function hasRole(me: Me | null | undefined, role: Role): boolean {
  return (me?.grants ?? []).some((grant) => RANK[grant.role] >= RANK[role]);
}

/** Creating projects and organisations needs a manager grant somewhere (the API checks the scope itself). */
export function canCreateProjects(me: Me | null | undefined): boolean {
  return hasRole(me, "manager");
}

export type Scope = { kind: "global" } | { kind: "organisation"; id: string } | { kind: "country"; code: string };

export function grantScope(grant: Grant): Scope {
  if (grant.country_code) return { kind: "country", code: grant.country_code };
  if (grant.organisation_id) return { kind: "organisation", id: grant.organisation_id };
  return { kind: "global" };
}
