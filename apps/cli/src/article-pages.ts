import type { InkwellClient, RouterInputs } from "@inkwell/client";

type ListFilter = Pick<RouterInputs["articles"]["list"] & object, "author" | "tag">;

/** Every visible article matching `filter`, with its body, newest first, paging with the server's cursor. */
export async function* eachArticle(client: InkwellClient, filter: ListFilter, pageSize = 100) {
  let cursor: string | undefined;
  do {
    const page = await client.articles.list.query({
      ...filter,
      limit: pageSize,
      offset: 0,
      includeBody: true,
      cursor,
    });
    for (const article of page.articles) {
      // `includeBody` decides at run time; the output type cannot know it.
      yield { ...article, body: "body" in article && typeof article.body === "string" ? article.body : "" };
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
