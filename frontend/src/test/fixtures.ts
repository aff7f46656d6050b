import { json } from "@/test/api-mock";

export const managerMe = {
  subject: "user:m",
  name: "Demo Manager",
  organisation_id: "org-1",
  grants: [{ role: "manager", organisation_id: "org-1", country_code: null }],
};

export const project = {
  id: "p-1",
  code: "XM-DAC-47066-GE-MMCB",
  title: "Migration management capacity building in Georgia",
  description: null,
  language: "en",
  titles: {
    en: "Migration management capacity building in Georgia",
    ru: "Развитие потенциала управления миграцией в Грузии",
  },
  descriptions: {},
  reporting_organisation: null,
  status: "closed",
  planned_start: "2008-06-01",
  planned_end: "2010-05-31",
  actual_start: null,
  actual_end: null,
  is_public: true,
  is_illustrative: true,
  source: null,
  themes: [{ code: "border-protection", name: "Border protection" }],
  sectors: [],
  countries: [{ country_code: "GE", percentage: "100.00" }],
  locations: [],
  participants: [],
  version: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

/** Reference lists and a signed-in manager: what every page asks for (the session hint cookie makes it restore). */
export function signedInManager() {
  document.cookie = "mcb_session=1; path=/";
  return {
    "POST /api/projects/v1/auth/token": () => json({ access_token: "t", expires_in: 900 }),
    "GET /api/projects/v1/auth/me": () => json(managerMe),
    "GET /api/projects/v1/organisations": () =>
      json({
        items: [{ id: "org-1", name: "IOM Prague", acronym: "IOM CZ", org_type: "40" }],
        total: 1,
        page: 1,
        page_size: 200,
      }),
    "GET /api/projects/v1/reference/countries": () =>
      json([
        { code: "GE", name: "Georgia", region: "south-caucasus", is_programme_country: true },
        { code: "MD", name: "Moldova", region: "eastern-europe", is_programme_country: true },
      ]),
    "GET /api/projects/v1/reference/themes": () => json([{ code: "border-protection", name: "Border protection" }]),
    "GET /api/projects/v1/reference/regions": () =>
      json([{ code: "south-caucasus", name: "South Caucasus", countries: ["GE"], note: "" }]),
    "GET /api/projects/v1/reference/sectors": () => json([{ code: "15190", name: "Facilitation of migration" }]),
    "GET /api/projects/v1/reference/currencies": () =>
      json([
        { code: "EUR", name: "Euro" },
        { code: "GEL", name: "Lari" },
      ]),
  };
}
