import type { components } from "./generated/control-api";

export type Problem = components["schemas"]["Problem"];
export type FieldError = components["schemas"]["FieldError"];

/** An API answer that was not a success: the RFC 9457 problem it carried (or one made from the status). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
  }

  /** The field errors of a 400, by the field's JSON path as the API names it. */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) {
      byField[error.field] = byField[error.field] ? `${byField[error.field]}; ${error.message}` : error.message;
    }
    return byField;
  }
}

export function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && "title" in body && "status" in body;
}

export async function errorFrom(response: Response, body?: unknown): Promise<ApiError> {
  let parsed = body;
  if (parsed === undefined) parsed = await response.json().catch(() => undefined);
  const problem = isProblem(parsed)
    ? parsed
    : { type: "about:blank", title: response.statusText || `HTTP ${response.status}`, status: response.status };
  return new ApiError(response.status, problem);
}

/** Words for any error a view shows: the problem's detail, else its title, else the error's message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail ?? error.problem.title;
  if (error instanceof Error) return error.message;
  return String(error);
}
