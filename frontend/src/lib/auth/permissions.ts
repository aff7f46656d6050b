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

/** What a manager's grants reach: everything, or organisations (with those below them) and countries. */
export interface ManagerReach {
  everything: boolean;
  organisationIds: ReadonlySet<string>;
  /** The organisations the grants name (not those below them), for telling the user. */
  grantOrganisations: readonly { id: string; name: string }[];
  countries: readonly string[];
}

/** The reach of the caller's manager (or admin) grants, with organisations below a granted one (by parent_id). */
export function managerReach(
  me: Me | null | undefined,
  organisations: readonly { id: string; parent_id?: string | null }[],
): ManagerReach {
  const grants = (me?.grants ?? []).filter((g) => RANK[g.role] >= RANK.manager);
  const everything = grants.some((g) => !g.organisation_id && !g.country_code);
  const roots = grants.filter((g) => g.organisation_id);
  const children = new Map<string, string[]>();
  for (const o of organisations)
    if (o.parent_id) children.set(o.parent_id, [...(children.get(o.parent_id) ?? []), o.id]);
  const reached = new Set<string>();
  const stack = roots.map((g) => g.organisation_id as string);
  while (stack.length) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return {
    everything,
    organisationIds: reached,
    grantOrganisations: roots.map((g) => ({
      id: g.organisation_id as string,
      name: g.organisation_name ?? g.organisation_acronym ?? "",
    })),
    countries: grants.flatMap((g) => (g.country_code ? [g.country_code] : [])),
  };
}

/** Whether a project with these partners and countries stays within the reach (the API's rule for managers). */
export function reachCovers(
  reach: ManagerReach,
  organisationIds: readonly string[],
  countries: readonly string[],
): boolean {
  return (
    reach.everything ||
    organisationIds.some((id) => reach.organisationIds.has(id)) ||
    countries.some((c) => reach.countries.includes(c))
  );
}
