/** RFC 9457 problem details as both services send them, and the error the app throws for them. */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string | null;
  errors?: FieldError[] | null;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "status" in value && "title" in value;
}

export function toProblem(body: unknown, response: Response): Problem {
  if (isProblem(body)) return body;
  const detail =
    typeof body === "object" && body && "detail" in body ? String((body as { detail: unknown }).detail) : null;
  return { title: response.statusText || `HTTP ${response.status}`, status: response.status, detail };
}

export async function problemFromResponse(response: Response): Promise<Problem> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return toProblem(body, response);
}

/** openapi-fetch's result to data, or an ApiError carrying the problem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok) return undefined as T;
  throw new ApiError(toProblem(result.error, result.response));
}

/**
 * Field errors keyed by the form's field path: the API's "body.countries[0].percentage" becomes
 * "countries[0].percentage", "query.page" becomes "page".
 */
export function fieldErrors(problem: Problem | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const key = error.field.replace(/^(body|query|path|header)\.?/, "") || "_form";
    out[key] = out[key] ? `${out[key]} ${error.message}` : error.message;
  }
  return out;
}

/** The field errors of whatever a mutation failed with (none unless it is an ApiError carrying problem+json). */
export function errorFieldErrors(error: unknown): Record<string, string> {
  return fieldErrors(error instanceof ApiError ? error.problem : null);
}
