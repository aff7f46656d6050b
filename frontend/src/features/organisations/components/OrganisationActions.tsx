import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { allOrganisationsQueryOptions, withDescendants, type Organisation } from "@/api/organisations";
import { managerOrgRoots } from "@/lib/auth/admin-permissions";
import { hasRole } from "@/lib/auth/permissions";
import { useSession } from "@/lib/auth/session";

/**
 * What a manager may do here: add an organisation (on the list), or change, move or add a unit below one their
 * grants cover (on an organisation). Nothing is offered that the API would refuse.
 */
export function OrganisationActions({ org }: { org?: Organisation }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const manager = hasRole(me, "manager");
  const roots = managerOrgRoots(me);
  // The tree is needed only to check a scoped manager's reach over this organisation.
  const all = useQuery({ ...allOrganisationsQueryOptions(), enabled: manager && roots !== null && org !== undefined });
  if (!manager) return null;
  if (!org) {
    return (
      <Link className="button primary" to="/organisations/new">
        {t("orgForm.new")}
      </Link>
    );
  }
  const covered = roots === null || (all.data ? withDescendants(all.data, roots).has(org.id) : false);
  if (!covered) return null;
  return (
    <div className="actions">
      <Link className="button primary" to={`/organisations/${org.id}/edit`}>
        {t("orgForm.editButton")}
      </Link>
      <Link className="button" to={`/organisations/new?parent=${org.id}`}>
        {t("orgForm.newUnit")}
      </Link>
    </div>
  );
}
