import { parseLocaleNumber } from "@/lib/number-input";
import type { Project, ProjectCreate } from "@/features/projects/api/project";

export interface ProjectFormState {
  code: string;
  title: string;
  description: string;
  status: ProjectCreate["status"] & string;
  planned_start: string;
  planned_end: string;
  actual_start: string;
  actual_end: string;
  /** Null until the user chooses: a new project is published only when someone says so. */
  is_public: boolean | null;
  /** Kept as loaded: demo and example records stay marked as illustrative. */
  is_illustrative: boolean;
  themes: string[];
  countries: { country_code: string; percentage: string }[];
  participants: { organisation_id: string; role: "funding" | "accountable" | "extending" | "implementing" | "beneficiary" }[];
}

export function emptyForm(): ProjectFormState {
  return {
    code: "",
    title: "",
    description: "",
    status: "pipeline",
    planned_start: "",
    planned_end: "",
    actual_start: "",
    actual_end: "",
    is_public: null,
    is_illustrative: false,
    themes: [],
    countries: [{ country_code: "", percentage: "100" }],
    participants: [],
  };
}

export function formFromProject(p: Project): ProjectFormState {
  return {
    code: p.code,
    title: p.title,
    description: p.description ?? "",
    status: p.status,
    planned_start: p.planned_start ?? "",
    planned_end: p.planned_end ?? "",
    actual_start: p.actual_start ?? "",
    actual_end: p.actual_end ?? "",
    is_public: p.is_public,
    is_illustrative: p.is_illustrative,
    themes: p.themes.map((theme) => theme.code),
    countries: p.countries.map((c) => ({ country_code: c.country_code, percentage: String(Number(c.percentage)) })),
    participants: p.participants.map((x) => ({ organisation_id: x.organisation.id, role: x.role })),
  };
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

/** A number as the user typed it in their language, as the API's decimal text (left as typed when it is not one). */
export function decimalText(text: string, language: string): string {
  const parsed = parseLocaleNumber(text, language);
  return parsed.ok && parsed.value !== null ? parsed.value : text.trim();
}

/** The request body; percentages go as strings so the API keeps them exact (it accepts number or string). */
export function bodyFromForm(form: ProjectFormState, language = "en"): ProjectCreate {
  return {
    code: form.code.trim(),
    title: form.title.trim(),
    description: orNull(form.description),
    status: form.status,
    planned_start: orNull(form.planned_start),
    planned_end: orNull(form.planned_end),
    actual_start: orNull(form.actual_start),
    actual_end: orNull(form.actual_end),
    is_public: form.is_public === true,
    themes: form.themes,
    countries: form.countries.map((c) => ({ country_code: c.country_code, percentage: decimalText(c.percentage, language) })),
    participants: form.participants.filter((x) => x.organisation_id),
    is_illustrative: form.is_illustrative,
  };
}

/** Sum of the country percentages, checked as the user types (the API wants 100). */
export function percentageTotal(form: ProjectFormState, language = "en"): number {
  return form.countries.reduce((sum, c) => sum + (Number(decimalText(c.percentage, language)) || 0), 0);
}
