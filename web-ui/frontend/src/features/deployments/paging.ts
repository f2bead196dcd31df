import { data } from "../../api/controlApi";

/** One page as openapi-fetch answers it. */
type PageAnswer<T> = { data?: T[]; error?: unknown; response: Response };

/** The cursor of the page after this one, or undefined when it was the last (control-api's Nanofleet-Next-Cursor). */
export function nextCursor(response: Response): string | undefined {
  return response.headers.get("Nanofleet-Next-Cursor") ?? undefined;
}

/**
 * Every item of a cursor-paged list: asks for the first page, then follows Nanofleet-Next-Cursor until no more follow
 * (at most `maxPages`, so a runaway list cannot hold the page hostage). Throws the API's problem as an ApiError.
 */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<PageAnswer<T>>, maxPages = 100): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const answer = await page(cursor);
    items.push(...(await data(Promise.resolve(answer))));
    cursor = nextCursor(answer.response);
    if (!cursor) break;
  }
  return items;
}
