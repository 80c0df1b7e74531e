// Must NOT type-check: a required field is missing and a value is not in the enum.
import type { PostCreate, PostStatus } from "./index";

const missingTitle: PostCreate = {
  author: "6651a2b3c4d5e6f708192a3b",
  slug: "hello",
  body: "no title",
};

const unknownStatus: PostStatus = "deleted";

export { missingTitle, unknownStatus };
