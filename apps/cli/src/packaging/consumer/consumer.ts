// A small app from another repository: the packaging test compiles it with `tsc --strict` against the
// installed @inkwell/client tarball and runs the output with plain Node.js against a real server.
// Usage: node consumer.js <url> <email> <password>; prints one JSON object with what it saw.
import { createInkwellClient, inkwellErrorDetails, type RouterInputs, type RouterOutputs } from "@inkwell/client";
import { inkwellErrorDetails as detailsFromSubpath } from "@inkwell/client/errors";

const [url, email, password] = process.argv.slice(2);
if (!url || !email || !password) throw new Error("usage: consumer <url> <email> <password>");

const signIn = await createInkwellClient({ url }).auth.signIn.mutate({ email, password, session: "token" });
if (signIn.twoFactorRequired || !signIn.token) throw new Error("expected a session token");
const inkwell = createInkwellClient({ url, token: signIn.token });

const draft: RouterInputs["articles"]["create"] = {
  title: "Shipped from another repository",
  description: "Written by the packaging test's consumer",
  body: "Hello from plain Node.js.",
  tagList: ["packaging"],
};
const article: RouterOutputs["articles"]["create"] = await inkwell.articles.create.mutate(draft);
const createdAt: Date = article.createdAt;

const { articles, articlesCount } = await inkwell.articles.list.query({ tag: "packaging" });

// Subscribe to the article's comments, add one once the stream is open, and wait for it to arrive.
const streamed = await new Promise<{ id: string; body: string }>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("no comment arrived within 10 s")), 10_000);
  const subscription = inkwell.articles.onComment.subscribe(
    { slug: article.slug },
    {
      onStarted: () => {
        inkwell.comments.add.mutate({ slug: article.slug, body: "First!" }).catch(reject);
      },
      onData: ({ id, data }) => {
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve({ id, body: data.body });
      },
      onError: reject,
    },
  );
});

const refused = await inkwell.articles.create.mutate({ title: "", description: "d", body: "b" }).then(
  () => null,
  (error: unknown) => inkwellErrorDetails(error),
);

console.log(
  JSON.stringify({
    signedInAs: signIn.user.email,
    created: { slug: article.slug, createdAtIsDate: createdAt instanceof Date, tagList: article.tagList },
    listed: { count: articlesCount, titles: articles.map((listed) => listed.title) },
    streamed,
    refused: refused && { code: refused.code, fields: Object.keys(refused.fieldErrors) },
    sameErrorHelper: detailsFromSubpath === inkwellErrorDetails,
  }),
);
