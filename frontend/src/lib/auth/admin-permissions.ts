import type { Me, Role } from "@/lib/auth/me";
import { grantScope, hasRole } from "@/lib/auth/permissions";

const RANK: Record<Role, number> = { viewer: 1, reporter: 2, manager: 3, admin: 4 };

/** Admins: users, grants, API clients and exchange rates. */
export const isAdmin = (me: Me | null | undefined) => hasRole(me, "admin");

/** The indicator catalogue belongs to managers with a grant everywhere, and admins (as reporting-api rules). */
export const isGlobalManager = (me: Me | null | undefined) =>
  (me?.grants ?? []).some((g) => RANK[g.role] >= RANK.manager && grantScope(g).kind === "global");

/** The organisations a caller's manager grants start from (their subtrees are in scope); null means everywhere. */
export function managerOrgRoots(me: Me | null | undefined): string[] | null {
  const grants = (me?.grants ?? []).filter((g) => RANK[g.role] >= RANK.manager);
  if (grants.some((g) => grantScope(g).kind === "global")) return null;
  return grants.flatMap((g) => (g.organisation_id ? [g.organisation_id] : []));
}
